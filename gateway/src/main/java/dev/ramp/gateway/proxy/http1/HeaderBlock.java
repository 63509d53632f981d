package dev.ramp.gateway.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Writes a header section of {@link FlatHeaders} as {@code name: value CRLF} lines with one copy into the
 * outgoing buffer: the lines are assembled in a heap scratch array first, because Netty's encoder copies each
 * name and value into the (direct) buffer on its own and every such copy pays the bounds checks of a native
 * copy. Characters of String values above 0xff become '?'; below, they are written as their byte (ISO-8859-1),
 * as decoded. Confined to event loop threads (the scratch array is per thread).
 */
final class HeaderBlock {
    private HeaderBlock() {}

    /** One scratch array per event loop thread for {@link #encode}: heads are encoded one at a time. */
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[1024];
        }
    };

    /** Writes the first {@code size} name/value pairs of {@code a} (name0, value0, ...) into {@code buf}. */
    static void encode(CharSequence[] a, int size, ByteBuf buf) {
        int n = size << 1;
        int length = 0;
        for (int i = 0; i < n; i++) {
            length += a[i].length() + 2;
        }
        byte[] dst = SCRATCH.get();
        if (dst.length < length) {
            dst = new byte[Math.max(length, dst.length << 1)];
            if (dst.length <= 64 * 1024) {
                SCRATCH.set(dst);
            }
        }
        int p = 0;
        for (int i = 0; i < n; i += 2) {
            p = put(dst, p, a[i]);
            dst[p++] = ':';
            dst[p++] = ' ';
            p = put(dst, p, a[i + 1]);
            dst[p++] = '\r';
            dst[p++] = '\n';
        }
        buf.writeBytes(dst, 0, p);
    }

    private static int put(byte[] dst, int p, CharSequence s) {
        int len = s.length();
        if (s instanceof AsciiString as) {
            System.arraycopy(as.array(), as.arrayOffset(), dst, p, len);
            return p + len;
        }
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            dst[p++] = (byte) (c > 0xff ? '?' : c);
        }
        return p;
    }
}
