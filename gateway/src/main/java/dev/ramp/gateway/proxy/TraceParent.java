package dev.ramp.gateway.proxy;

import java.util.concurrent.ThreadLocalRandom;

/**
 * W3C Trace Context ({@code traceparent}, https://www.w3.org/TR/trace-context/) for one hop through the
 * gateway: a valid incoming header keeps its trace id and flags and gets a new parent (span) id, the gateway's
 * own; an absent or malformed one starts a new trace. Plain values, no HTTP types.
 *
 * <p>Parsing follows the specification's rules: version {@code 00} is exactly
 * {@code 00-<32 hex trace-id>-<16 hex parent-id>-<2 hex flags>}, lowercase; a higher version (never
 * {@code ff}) is read at the same positions and may carry more after a {@code -}; an all-zero trace id or
 * parent id is invalid. The header passed on is always version {@code 00}.
 *
 * <p>A trace the gateway starts is marked sampled ({@code 01}), so an upstream whose tracer follows its parent
 * records the request as it would have without the gateway in front.
 */
public final class TraceParent {
    /** The length of a version-00 header. */
    public static final int LENGTH = 55;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private TraceParent() {}

    /**
     * The {@code traceparent} to send upstream for {@code incoming} (null when absent): same trace id and flags
     * with a new parent id when valid, else a new trace.
     */
    public static String next(CharSequence incoming) {
        char[] out = new char[LENGTH];
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (incoming != null && valid(incoming)) {
            for (int i = 0; i < 36; i++) {
                out[i] = incoming.charAt(i);
            }
            out[0] = '0';
            out[1] = '0';
            randomHex(out, 36, 16, random);
            out[52] = '-';
            out[53] = incoming.charAt(53);
            out[54] = incoming.charAt(54);
            return new String(out);
        }
        out[0] = '0';
        out[1] = '0';
        out[2] = '-';
        randomHex(out, 3, 32, random);
        out[35] = '-';
        randomHex(out, 36, 16, random);
        out[52] = '-';
        out[53] = '0';
        out[54] = '1';
        return new String(out);
    }

    /** Whether {@code h} is a {@code traceparent} this gateway continues (see the class comment). */
    public static boolean valid(CharSequence h) {
        int n = h.length();
        if (n < LENGTH || !hex(h, 0, 2) || h.charAt(2) != '-' || h.charAt(35) != '-' || h.charAt(52) != '-') {
            return false;
        }
        boolean v00 = h.charAt(0) == '0' && h.charAt(1) == '0';
        if (v00 && n != LENGTH || h.charAt(0) == 'f' && h.charAt(1) == 'f') {
            return false;
        }
        if (n > LENGTH && h.charAt(LENGTH) != '-') {
            return false;
        }
        return hex(h, 3, 32) && hex(h, 36, 16) && hex(h, 53, 2) && !zeros(h, 3, 32) && !zeros(h, 36, 16);
    }

    /** The trace id of a header {@link #next} made (characters 3 to 35), or null when {@code h} is not one. */
    public static String traceId(CharSequence h) {
        return h != null && h.length() >= LENGTH ? h.subSequence(3, 35).toString() : null;
    }

    private static void randomHex(char[] out, int from, int count, ThreadLocalRandom random) {
        do {
            long bits = 0;
            for (int i = 0; i < count; i++) {
                if ((i & 15) == 0) {
                    bits = random.nextLong();
                }
                out[from + i] = HEX[(int) (bits & 15)];
                bits >>>= 4;
            }
        } while (allZero(out, from, count)); // an all-zero id is invalid: draw again
    }

    private static boolean allZero(char[] s, int from, int count) {
        for (int i = from; i < from + count; i++) {
            if (s[i] != '0') {
                return false;
            }
        }
        return true;
    }

    private static boolean hex(CharSequence s, int from, int count) {
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean zeros(CharSequence s, int from, int count) {
        for (int i = from; i < from + count; i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}
