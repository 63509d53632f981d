package dev.ramp.gateway.proxy.mirror;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One answer's response headers as the dark launch compares them: names lower-cased, the values of a name
 * joined with {@code ", "} in the order received, sorted by name. Skipped, on both answers: the hop-by-hop
 * headers and framing ({@code Content-Length}, {@code Transfer-Encoding}: the body comparison covers the body,
 * however it was framed), {@code Date} (two answers sent at different moments differ in it by design), the
 * headers the gateway itself sets on answers ({@code X-Ramp-*}), and the route's {@code ignore-headers}.
 * Immutable.
 */
public final class HeaderSnapshot {
    /** Never compared, whatever the route lists. */
    private static final List<String> SKIPPED = List.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "te", "trailer", "transfer-encoding", "upgrade", "content-length", "date");
    /** Values of headers whose name contains one of these are never kept for a diff. */
    private static final List<String> SECRET = List.of("auth", "cookie", "token", "secret", "session", "password",
            "api-key", "apikey");
    /** Characters of a value kept for a diff. */
    static final int VALUE_KEPT = 200;

    private final TreeMap<String, String> values;

    private HeaderSnapshot(TreeMap<String, String> values) {
        this.values = values;
    }

    /** The headers of one answer, without the skipped ones and those named in {@code ignore} (any case). */
    public static HeaderSnapshot of(Iterable<Map.Entry<String, String>> headers, List<String> ignore) {
        TreeMap<String, String> values = new TreeMap<>();
        for (Map.Entry<String, String> e : headers) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (skipped(name, ignore)) {
                continue;
            }
            values.merge(name, e.getValue(), (a, b) -> a + ", " + b);
        }
        return new HeaderSnapshot(values);
    }

    private static boolean skipped(String name, List<String> ignore) {
        if (SKIPPED.contains(name) || name.startsWith("x-ramp-")) {
            return true;
        }
        for (String i : ignore) {
            if (i.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a header of this name may carry a credential: its values are never kept. */
    public static boolean secret(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (String s : SECRET) {
            if (n.contains(s)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The headers that differ, by name: present on one answer only, or with other values. Values are clipped
     * to {@value #VALUE_KEPT} characters, and left out (null) for names that look secret.
     */
    public static List<HeaderDiff> diff(HeaderSnapshot stable, HeaderSnapshot canary) {
        List<HeaderDiff> out = new ArrayList<>();
        TreeMap<String, String> names = new TreeMap<>(stable.values);
        canary.values.forEach(names::putIfAbsent);
        for (String name : names.keySet()) {
            String a = stable.values.get(name);
            String b = canary.values.get(name);
            if (a == null || !a.equals(b)) {
                boolean secret = secret(name);
                out.add(new HeaderDiff(name, secret ? null : clip(a), secret ? null : clip(b), secret));
            }
        }
        return out;
    }

    private static String clip(String v) {
        return v == null || v.length() <= VALUE_KEPT ? v : v.substring(0, VALUE_KEPT);
    }

    /**
     * One header that differs between the two answers.
     *
     * @param name     lower case
     * @param stable   stable's value, or null when stable sent none or the name looks secret
     * @param canary   the canary's value, or null likewise
     * @param redacted whether the values were left out because the name looks secret
     */
    public record HeaderDiff(String name, String stable, String canary, boolean redacted) {
    }
}
