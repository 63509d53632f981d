package dev.ramp.gateway.proxy.mirror;

import dev.ramp.gateway.config.MirrorSettings;
import dev.ramp.gateway.guard.WindowSnapshot;

/**
 * The dark launch's verdict over a recent window: whether the canary's answers to the copies matched stable's
 * often enough and came as fast. A pure function of the two windows ({@link #judge}); shown in the status and
 * asked by a rollout plan with {@code mirror-gate} before its first step.
 *
 * <p>{@code mismatchRatio} is (status, body and header differences and errors) over the copies compared in the
 * window (dropped copies are not compared). {@code latencyRatio} is the canary's p99 over stable's, both
 * measured on the same requests (stable's original, the canary's copy). Latency fails only when the canary
 * is also at least {@link #MIN_LATENCY_DIFFERENCE_MS} ms slower at p99, so sub-millisecond noise never fails.
 *
 * @param state         pass, fail or insufficient_data (fewer than {@code min-compared} copies)
 * @param compared      copies that ended in the window
 * @param mismatched    of those, the ones that differed or failed
 * @param mismatchRatio {@code mismatched / compared} (0 when none)
 * @param stableP99Ms   stable's p99 on the copied requests
 * @param canaryP99Ms   the canary's p99 on the copies
 * @param latencyRatio  {@code canaryP99Ms / stableP99Ms} (0 when none)
 * @param reason        one line saying why, for the status and a held rollout
 */
public record MirrorVerdict(State state, long compared, long mismatched, double mismatchRatio, double stableP99Ms,
                            double canaryP99Ms, double latencyRatio, String reason) {
    /** Below this p99 difference the latency ratio never fails the verdict. */
    public static final double MIN_LATENCY_DIFFERENCE_MS = 5;

    /** The verdict's state; {@link #tag()} is its JSON name. */
    public enum State {
        PASS("pass"), FAIL("fail"), INSUFFICIENT_DATA("insufficient_data");

        private final String tag;

        State(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    /**
     * @param stable the stable answers' times, one per compared copy
     * @param canary the copies' times, a copy that differed or failed counted as an error
     */
    public static MirrorVerdict judge(WindowSnapshot stable, WindowSnapshot canary, MirrorSettings.Verdict v) {
        long compared = canary.requests();
        long mismatched = canary.errors();
        double ratio = compared == 0 ? 0 : (double) mismatched / compared;
        double latency = stable.p99Ms() > 0 ? canary.p99Ms() / stable.p99Ms() : 0;
        String window = duration(v.window());
        State state;
        String reason;
        if (compared < v.minCompared()) {
            state = State.INSUFFICIENT_DATA;
            reason = compared + " of " + v.minCompared() + " copies compared in the last " + window;
        } else if (ratio > v.maxMismatch().ratio()) {
            state = State.FAIL;
            reason = mismatched + " of " + compared + " copies differed or failed in the last " + window + " ("
                     + percent(ratio) + ", max " + v.maxMismatch() + ")";
        } else if (latency > v.maxLatencyRatio()
                   && canary.p99Ms() - stable.p99Ms() >= MIN_LATENCY_DIFFERENCE_MS) {
            state = State.FAIL;
            reason = String.format(java.util.Locale.ROOT, "canary p99 %.1f ms is %.2fx stable's %.1f ms (max %sx)",
                    canary.p99Ms(), latency, stable.p99Ms(), v.maxLatencyRatio());
        } else {
            state = State.PASS;
            reason = mismatched + " of " + compared + " copies differed or failed in the last " + window + " ("
                     + percent(ratio) + "); canary p99 " + String.format(java.util.Locale.ROOT, "%.2f", latency)
                     + "x stable's";
        }
        return new MirrorVerdict(state, compared, mismatched, ratio, stable.p99Ms(), canary.p99Ms(), latency, reason);
    }

    /** {@code 5m}, {@code 90s}, {@code 1500ms}, as the config writes them. */
    private static String duration(java.time.Duration d) {
        long ms = d.toMillis();
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    private static String percent(double ratio) {
        return java.math.BigDecimal.valueOf(ratio * 100).setScale(2, java.math.RoundingMode.HALF_UP)
                .stripTrailingZeros().toPlainString() + "%";
    }
}
