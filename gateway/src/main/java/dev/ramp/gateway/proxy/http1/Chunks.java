package dev.ramp.gateway.proxy.http1;

import static dev.ramp.gateway.proxy.http1.Lines.CR;
import static dev.ramp.gateway.proxy.http1.Lines.LF;
import static dev.ramp.gateway.proxy.http1.Lines.isControl;

import io.netty.buffer.ByteBuf;

/**
 * The lines of the chunked transfer coding (RFC 9112 7.1) for {@link Http1Decoder}: a chunk's size line and the
 * CRLF after its data. Each method reads from the reader index of the connection's buffer and consumes what it
 * read only once it has all of it. Stateless.
 */
final class Chunks {
    private Chunks() {}

    /**
     * Reads a chunk-size line: hex digits, then optional whitespace and {@code ;extensions}, then CRLF (or LF).
     * Extensions are skipped, not interpreted.
     *
     * @param maxLine the longest size line accepted
     * @return the chunk's size (0 for the last chunk), or -1 while the line has not all arrived
     */
    static long size(ByteBuf in, int maxLine) {
        int start = in.readerIndex();
        int lf = in.indexOf(start, Math.min(in.writerIndex(), start + maxLine), LF);
        if (lf < 0) {
            if (in.readableBytes() >= maxLine) {
                throw new BadMessage("chunk size line longer than " + maxLine + " bytes");
            }
            return -1;
        }
        long size = 0;
        int digits = 0;
        boolean zeros = false;
        int i = start;
        for (; i < lf; i++) {
            int d = Character.digit(in.getByte(i), 16);
            if (d < 0) {
                break;
            }
            if (size == 0 && d == 0) {
                zeros = true; // leading zeros are part of the size's syntax, not of its magnitude
                continue;
            }
            if (++digits > 15) {
                throw new BadMessage("chunk size too large");
            }
            size = size << 4 | d;
        }
        if (digits == 0 && !zeros) {
            throw new BadMessage("invalid chunk size");
        }
        // what may follow the digits: optional whitespace and ;extensions, then CRLF
        int end = in.getByte(lf - 1) == CR ? lf - 1 : lf;
        byte b = i < end ? in.getByte(i) : (byte) ';';
        if (b != ';' && b != ' ' && b != '\t') {
            throw new BadMessage("invalid chunk size");
        }
        for (int k = i; k < end; k++) {
            if (isControl(in.getByte(k))) {
                throw new BadMessage("control character in chunk extension");
            }
        }
        in.readerIndex(lf + 1);
        return size;
    }

    /** Consumes the CRLF that must follow a chunk's data; false while it has not arrived. */
    static boolean dataEnd(ByteBuf in) {
        if (in.readableBytes() < 2) {
            return false;
        }
        int i = in.readerIndex();
        if (in.getByte(i) != CR || in.getByte(i + 1) != LF) {
            throw new BadMessage("chunk data not followed by CRLF");
        }
        in.skipBytes(2);
        return true;
    }
}
