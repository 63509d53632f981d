package dev.ramp.gateway.config;

import io.netty.util.NetUtil;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 network in CIDR notation, e.g. {@code 10.0.0.0/8} or {@code ::1/128}. An IPv4-mapped
 * IPv6 peer ({@code ::ffff:127.0.0.1}) matches IPv4 networks.
 */
public final class Cidr {
    private final String text;
    private final byte[] network;
    private final int prefix;

    /** For IPv4 networks: the network and mask as ints, so the per-request check allocates nothing. */
    private final int v4Network;
    private final int v4Mask;

    private Cidr(String text, byte[] network, int prefix) {
        this.text = text;
        this.network = network;
        this.prefix = prefix;
        this.v4Mask = prefix == 0 ? 0 : -1 << (32 - Math.min(prefix, 32));
        this.v4Network = network.length == 4 ? toInt(network) & v4Mask : 0;
    }

    private static int toInt(byte[] b) {
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    /** Parses a dotted-quad IPv4 literal into an int; -1L if it is not one. Allocation-free. */
    static long parseV4(CharSequence s) {
        int n = s.length();
        if (n < 7 || n > 15) {
            return -1L;
        }
        long value = 0;
        int part = 0;
        int digits = 0;
        int dots = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                part = part * 10 + (c - '0');
                if (++digits > 3 || part > 255) {
                    return -1L;
                }
            } else if (c == '.' && digits > 0 && dots < 3) {
                value = value << 8 | part;
                part = 0;
                digits = 0;
                dots++;
            } else {
                return -1L;
            }
        }
        if (dots != 3 || digits == 0) {
            return -1L;
        }
        return (value << 8 | part) & 0xFFFFFFFFL;
    }

    /**
     * Parses {@code address/prefix}; a bare address means a single host.
     *
     * @throws IllegalArgumentException naming the value and what was expected
     */
    public static Cidr parse(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        byte[] bytes = literalBytes(addr);
        if (bytes == null) {
            throw new IllegalArgumentException(
                    "\"" + text + "\" (expected: an IP network such as \"10.0.0.0/8\" or \"::1/128\")");
        }
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException(
                        "\"" + text + "\" has prefix length " + s.substring(slash + 1) + " (expected: 0.." + max + ")");
            }
        }
        return new Cidr(text, mask(bytes, prefix), prefix);
    }

    /**
     * Whether the literal IP address (as Netty/Vert.x report a peer, or a view of an X-Forwarded-For entry)
     * lies in this network. Allocation-free for an IPv4 literal in an IPv4 network.
     */
    public boolean contains(CharSequence ipLiteral) {
        if (network.length == 4) {
            long v4 = parseV4(ipLiteral);
            if (v4 >= 0) {
                return ((int) v4 & v4Mask) == v4Network;
            }
        }
        byte[] bytes = literalBytes(ipLiteral.toString());
        return bytes != null && contains(bytes);
    }

    public boolean contains(byte[] address) {
        byte[] a = address;
        if (a.length == 16 && network.length == 4 && isV4Mapped(a)) {
            a = Arrays.copyOfRange(a, 12, 16);
        }
        if (a.length != network.length) {
            return false;
        }
        return Arrays.equals(mask(a, prefix), network);
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] &= (byte) (0xff << (8 - bits));
        }
        return out;
    }

    /** Parses an IP literal (Netty's strict parser, never a DNS lookup); null if it is not one. */
    static byte[] literalBytes(String addr) {
        String a = addr;
        if (a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        return NetUtil.createByteArrayFromIpAddressString(a);
    }

    @Override
    public String toString() {
        return text;
    }
}
