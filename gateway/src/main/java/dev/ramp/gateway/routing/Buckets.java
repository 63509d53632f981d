package dev.ramp.gateway.routing;

import java.nio.charset.StandardCharsets;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * The assignment hash (docs/architecture.md): {@code bucket = (murmur3_32(route + "/" + identity) as unsigned * 10000) >>> 32}.
 * MurmurHash3 x86_32 with seed 0 over the UTF-8 bytes, from Apache Commons Codec (the same function as
 * Guava's {@code murmur3_32_fixed}), so any replica, in any language, computes the same bucket.
 *
 * <p>Hot path: ASCII input (the common case) is encoded into a per-thread scratch buffer, so a decision
 * allocates nothing.
 */
public final class Buckets {

    /** Number of buckets; a weight in basis points selects buckets {@code [0, weight)}. */
    public static final int COUNT = 10_000;

    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[256]);

    private Buckets() {}

    /** The bucket in {@code [0, 10000)} of this identity on this route. */
    public static int bucket(String routeName, CharSequence identity) {
        int len = routeName.length() + 1 + identity.length();
        byte[] buf = SCRATCH.get();
        if (len > buf.length) {
            if (len > 4096) {
                return bucketOf(utf8(routeName, identity));
            }
            buf = new byte[Integer.highestOneBit(len) << 1];
            SCRATCH.set(buf);
        }
        int n = 0;
        for (int i = 0; i < routeName.length(); i++) {
            char c = routeName.charAt(i);
            if (c >= 0x80) {
                return bucketOf(utf8(routeName, identity));
            }
            buf[n++] = (byte) c;
        }
        buf[n++] = '/';
        for (int i = 0; i < identity.length(); i++) {
            char c = identity.charAt(i);
            if (c >= 0x80) {
                return bucketOf(utf8(routeName, identity));
            }
            buf[n++] = (byte) c;
        }
        return scale(MurmurHash3.hash32x86(buf, 0, n, 0));
    }

    private static byte[] utf8(String routeName, CharSequence identity) {
        return (routeName + "/" + identity).getBytes(StandardCharsets.UTF_8);
    }

    private static int bucketOf(byte[] bytes) {
        return scale(MurmurHash3.hash32x86(bytes, 0, bytes.length, 0));
    }

    private static int scale(int hash) {
        return (int) (((hash & 0xFFFFFFFFL) * COUNT) >>> 32);
    }
}
