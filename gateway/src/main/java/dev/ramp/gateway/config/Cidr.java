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

    private Cidr(String text, byte[] network, int prefix) {
        this.text = text;
        this.network = network;
        this.prefix = prefix;
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

    /** Whether the literal IP address (as Netty/Vert.x report a peer) lies in this network. */
    public boolean contains(String ipLiteral) {
        byte[] bytes = literalBytes(ipLiteral);
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
