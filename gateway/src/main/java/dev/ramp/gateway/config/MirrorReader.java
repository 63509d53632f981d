package dev.ramp.gateway.config;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads and validates a route's {@code mirror} block (merged over {@code route-defaults.mirror}) into
 * {@link MirrorSettings}, and checks that a rollout gated on the dark launch's verdict has one. Part of
 * {@link RouteReader}; problems carry the file and line of the value.
 */
final class MirrorReader {
    private static final Pattern METHOD = Pattern.compile("[A-Z]{1,20}");
    /** An HTTP header name (a token). */
    private static final Pattern HEADER = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** The longest window a verdict judges: its windows keep at most 60 slots. */
    static final Duration MAX_WINDOW = Duration.ofHours(1);

    private MirrorReader() {
    }

    /** The route's {@code mirror} block: null while its percent is 0% (no dark launch), or when it has problems. */
    static MirrorSettings mirror(ConfigReader m) {
        if (m == null) {
            return null;
        }
        int before = m.problems.count();
        Percent percent = m.percent("percent");
        List<String> methods = m.stringList("methods");
        Boolean compare = m.bool("compare");
        List<String> ignore = m.stringList("ignore-headers");
        List<String> fields = m.stringList("ignore-fields");
        Integer maxInFlight = m.integer("max-in-flight");
        MirrorSettings.Verdict verdict = verdict(m.object("verdict"));
        if (methods != null) {
            if (methods.isEmpty()) {
                m.problem("methods", "is empty (expected: methods to copy, e.g. [\"GET\", \"HEAD\"])");
            }
            for (int i = 0; i < methods.size(); i++) {
                if (!METHOD.matcher(methods.get(i)).matches() || methods.get(i).equals("CONNECT")) {
                    m.problem("methods[" + i + "]", "\"" + methods.get(i)
                              + "\" (expected: an HTTP method in upper case, e.g. \"GET\"; CONNECT is never copied)");
                }
            }
        }
        if (ignore != null) {
            for (int i = 0; i < ignore.size(); i++) {
                if (!HEADER.matcher(ignore.get(i)).matches()) {
                    m.problem("ignore-headers[" + i + "]", "\"" + ignore.get(i)
                              + "\" (expected: a header name, e.g. \"ETag\")");
                }
            }
        }
        if (fields != null) {
            for (int i = 0; i < fields.size(); i++) {
                String f = fields.get(i);
                if (f.isEmpty() || f.startsWith(".") || f.endsWith(".") || f.contains("..")) {
                    m.problem("ignore-fields[" + i + "]", "\"" + f
                              + "\" (expected: a JSON field or a dotted path into objects, e.g. \"meta.requestId\")");
                }
            }
        }
        if (maxInFlight != null && (maxInFlight < 1 || maxInFlight > 100_000)) {
            m.problem("max-in-flight", maxInFlight + " (expected: 1..100000)");
        }
        if (m.problems.count() > before || percent == null || methods == null || compare == null || ignore == null
            || fields == null || maxInFlight == null || verdict == null || percent.basisPoints() == 0) {
            return null;
        }
        return new MirrorSettings(percent, new LinkedHashSet<>(methods), compare, ignore, fields, maxInFlight, verdict);
    }

    private static MirrorSettings.Verdict verdict(ConfigReader v) {
        if (v == null) {
            return null;
        }
        Duration window = v.positiveDuration("window");
        Integer minCompared = v.integer("min-compared");
        Percent maxMismatch = v.percent("max-mismatch");
        Double maxLatencyRatio = v.number("max-latency-ratio");
        if (window != null && window.compareTo(MAX_WINDOW) > 0) {
            v.problem("window", window + " (expected: at most 1h)");
        }
        if (minCompared != null && minCompared < 1) {
            v.problem("min-compared", minCompared + " (expected: 1 or more)");
        }
        if (maxLatencyRatio != null && !(maxLatencyRatio > 0)) {
            v.problem("max-latency-ratio", maxLatencyRatio + " (expected: above 0, e.g. 1.5)");
        }
        if (window == null || minCompared == null || maxMismatch == null || maxLatencyRatio == null
            || window.compareTo(MAX_WINDOW) > 0 || minCompared < 1 || !(maxLatencyRatio > 0)) {
            return null;
        }
        return new MirrorSettings.Verdict(window, minCompared, maxMismatch, maxLatencyRatio);
    }

    /**
     * A rollout with {@code mirror-gate = true} needs a dark launch to judge: a problem on the route otherwise.
     * Call only when the mirror block had no problems of its own (then no mirror means a percent of 0%).
     */
    static void checkGate(ConfigReader route, RolloutSettings rollout, MirrorSettings mirror) {
        if (rollout == null || !rollout.mirrorGate() || mirror != null) {
            return;
        }
        route.object("rollout").problem("mirror-gate", "is true but the route has no dark launch (expected: a "
                + "mirror block with a percent above 0%, e.g. mirror { percent = \"100%\" })");
    }
}
