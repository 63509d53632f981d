package dev.ramp.gateway.proxy.mirror;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;

/**
 * A response body digested as it streams past: a 64-bit FNV-1a hash of every byte, the length, and the first
 * {@link #KEPT} bytes for a diff sample. A body is kept whole only when asked ({@link #keepWhole}: a JSON
 * answer, up to a limit); the hash is not cryptographic, it only has to tell two answers to the same request
 * apart. One per answer of a sampled request; confined to
 * one event loop.
 */
public final class BodyDigest implements ByteProcessor {
    /** Bytes of the body kept for the diff sample. */
    public static final int KEPT = 512;
    private static final long OFFSET = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private long hash = OFFSET;
    private long length;
    private final byte[] first = new byte[KEPT];
    private int kept;
    /** The whole body, kept only for a JSON answer ({@link #keepWhole}) while it stays within {@code limit}. */
    private byte[] whole;
    private int wholeLength;
    private int limit;

    /**
     * Keeps the whole body too, up to {@code limit} bytes (a JSON answer, compared structurally when the digests
     * differ); a longer body is not kept and compares by digest only. Call before the first byte.
     */
    public void keepWhole(int limit) {
        this.limit = limit;
        this.whole = new byte[Math.min(limit, 1024)];
    }

    /** The whole body when it was kept and fit its limit, else null. */
    public byte[] whole() {
        return whole == null ? null : java.util.Arrays.copyOf(whole, wholeLength);
    }

    /** Digests the readable bytes of {@code buf} without consuming them. */
    public void update(ByteBuf buf) {
        int n = buf.readableBytes();
        if (n == 0) {
            return;
        }
        if (whole != null) {
            if (wholeLength + n > limit) {
                whole = null; // too long to compare structurally
            } else {
                if (wholeLength + n > whole.length) {
                    int size = Math.min(limit, Math.max(wholeLength + n, whole.length * 2));
                    whole = java.util.Arrays.copyOf(whole, size);
                }
                buf.getBytes(buf.readerIndex(), whole, wholeLength, n);
                wholeLength += n;
            }
        }
        int keep = Math.min(n, KEPT - kept);
        if (keep > 0) {
            buf.getBytes(buf.readerIndex(), first, kept, keep);
            kept += keep;
        }
        buf.forEachByte(buf.readerIndex(), n, this);
        length += n;
    }

    /** Digests {@code bytes} (tests, and callers that hold arrays). */
    public void update(byte[] bytes) {
        update(io.netty.buffer.Unpooled.wrappedBuffer(bytes));
    }

    @Override
    public boolean process(byte value) {
        hash = (hash ^ (value & 0xff)) * PRIME;
        return true;
    }

    public long hash() {
        return hash;
    }

    public long length() {
        return length;
    }

    /** Whether both digests saw the same bytes (as far as a 64-bit hash and the length can tell). */
    public boolean sameAs(BodyDigest other) {
        return hash == other.hash && length == other.length;
    }

    /** The first bytes of the body, decoded as UTF-8 (malformed bytes replaced), for a diff sample. */
    public String head() {
        return new String(first, 0, kept, StandardCharsets.UTF_8);
    }
}
