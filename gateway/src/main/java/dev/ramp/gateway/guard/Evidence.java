package dev.ramp.gateway.guard;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What a verdict was based on: both versions' window snapshots and, per rule, where it stood
 * ({@link RuleCheck}: its figure, limit and test), with the level every test was held to.
 *
 * @param stable the stable version's window
 * @param canary the canary version's window
 * @param compared whether the comparative rules ({@code error_rate_increase}, {@code latency_increase})
 *                 were judged; {@code false} when stable had fewer than {@code minRequests} requests
 * @param testLevel the level each test was held to ({@link GuardThresholds#testLevel()}); NaN when none ran
 * @param checks the rules in order ({@code error_rate}, {@code error_rate_increase}, {@code p99},
 *               {@code latency_increase}); empty when no rule was judged (insufficient data)
 */
public record Evidence(WindowSnapshot stable, WindowSnapshot canary, boolean compared, double testLevel,
                       List<RuleCheck> checks) {

    public Evidence {
        requireNonNull(stable, "stable");
        requireNonNull(canary, "canary");
        checks = List.copyOf(checks);
    }

    /** Evidence of two windows on which no rule was judged. */
    public static Evidence untested(WindowSnapshot stable, WindowSnapshot canary) {
        return new Evidence(stable, canary, false, Double.NaN, List.of());
    }

    /** The check of {@code rule}, or null when no rule was judged. */
    public RuleCheck check(RevertReason rule) {
        for (RuleCheck c : checks) {
            if (c.rule().equals(rule.tag())) {
                return c;
            }
        }
        return null;
    }

    /** One-sided exact binomial test that the canary's error rate exceeds {@code maxErrorRate}; NaN if not run. */
    public double errorRatePValue() {
        return pValue(RevertReason.ERROR_RATE);
    }

    /** One-sided Fisher exact test that the canary's error rate exceeds stable's; NaN if not run. */
    public double errorRateIncreasePValue() {
        return pValue(RevertReason.ERROR_RATE_INCREASE);
    }

    /** One-sided binomial test that more than 1 % of canary requests exceed {@code maxP99}; NaN if not run. */
    public double p99PValue() {
        return pValue(RevertReason.P99);
    }

    /**
     * One-sided Mann-Whitney U test that canary latencies exceed stable's by more than
     * {@code minLatencyDifference}; NaN if not run.
     */
    public double latencyPValue() {
        return pValue(RevertReason.LATENCY_INCREASE);
    }

    private double pValue(RevertReason rule) {
        final RuleCheck c = check(rule);
        return c == null ? Double.NaN : c.pValue();
    }
}
