package dev.ramp.gateway.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.util.AsciiString;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The byte-level syntax {@link Http1Decoder} shares between its first lines, header fields and chunk lines
 * (RFC 9112 2 and RFC 9110 5.6): where a line ends, which bytes no line may hold, tokens, and optional
 * whitespace. Stateless; every method works on the head's byte array as copied from the connection.
 */
final class Lines {
    static final byte CR = '\r';
    static final byte LF = '\n';

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** RFC 9110 tchar: the bytes a method and a header name may contain. */
    static final boolean[] TCHAR = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private Lines() {}

    /**
     * The index of the CR (or lone LF) ending the line that starts at {@code from}; rejects control bytes.
     * Skips eight bytes at a time while none of them is below 0x20 or 0x7f (the usual case: one word per eight
     * bytes of a value instead of a branch per byte).
     */
    static int lineEnd(byte[] h, int from) {
        int i = from;
        for (int last = h.length - 8; i <= last; i += 8) {
            long x = (long) LONGS.get(h, i);
            long below20 = (x - 0x2020202020202020L) & ~x & 0x8080808080808080L;
            long y = x ^ 0x7f7f7f7f7f7f7f7fL;
            long del = (y - 0x0101010101010101L) & ~y & 0x8080808080808080L;
            if ((below20 | del) != 0) {
                break;
            }
        }
        for (; ; i++) {
            byte b = h[i];
            if (b == LF) {
                return i;
            }
            if (b == CR) {
                if (h[i + 1] != LF) {
                    throw new BadMessage("CR without LF in a line");
                }
                return i;
            }
            if (isControl(b)) {
                throw new BadMessage("control character 0x" + Integer.toHexString(b & 0xff) + " in a line");
            }
        }
    }

    /** A byte no line may hold: a control character other than tab (CR and LF end lines), or DEL. */
    static boolean isControl(byte b) {
        return b != '\t' && (b & 0xff) < 0x20 || b == 0x7f;
    }

    /** The start of the line after the one ending at {@code lineEnd}. */
    static int next(byte[] h, int lineEnd) {
        return h[lineEnd] == CR ? lineEnd + 2 : lineEnd + 1;
    }

    /** The bytes {@code [start, end)} without surrounding spaces and tabs, as a view. */
    static AsciiString trim(byte[] h, int start, int end) {
        while (start < end && (h[start] == ' ' || h[start] == '\t')) {
            start++;
        }
        while (end > start && (h[end - 1] == ' ' || h[end - 1] == '\t')) {
            end--;
        }
        return start == end ? AsciiString.EMPTY_STRING : new AsciiString(h, start, end - start, false);
    }

    /** The index of the first {@code c} in {@code h[from, to)}, or -1. */
    static int indexOf(byte[] h, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (h[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** Moves the reader index past any CR and LF bytes (RFC 9112 2.2: empty lines before a request line). */
    static void skipEmptyLines(ByteBuf in) {
        int i = in.readerIndex();
        int end = in.writerIndex();
        while (i < end) {
            byte b = in.getByte(i);
            if (b != CR && b != LF) {
                break;
            }
            i++;
        }
        in.readerIndex(i);
    }
}
