package dev.ramp.gateway.guard;

import static java.util.Objects.requireNonNull;

/**
 * What a verdict was based on: both versions' window snapshots and the p-value of every significance
 * test the {@link Judge} ran. A p-value is {@code NaN} when its test was not run, either because the
 * rule's threshold was not crossed (the test only runs then) or because the rule was skipped.
 *
 * @param stable the stable version's window
 * @param canary the canary version's window
 * @param compared whether the comparative rules ({@code error_rate_increase}, {@code latency_increase})
 *                 were judged; {@code false} when stable had fewer than {@code minRequests} requests
 * @param errorRatePValue one-sided binomial test that the canary's error rate exceeds {@code maxErrorRate}
 * @param errorRateIncreasePValue one-sided Fisher exact test that the canary's error rate exceeds stable's
 * @param p99PValue one-sided binomial test that more than 1 % of canary requests exceed {@code maxP99}
 * @param latencyPValue one-sided Mann-Whitney U test that canary latencies exceed stable's
 */
public record Evidence(WindowSnapshot stable, WindowSnapshot canary, boolean compared,
                       double errorRatePValue, double errorRateIncreasePValue,
                       double p99PValue, double latencyPValue) {

    public Evidence {
        requireNonNull(stable, "stable");
        requireNonNull(canary, "canary");
    }

    /** Evidence of two windows on which no test was run. */
    public static Evidence untested(WindowSnapshot stable, WindowSnapshot canary) {
        return new Evidence(stable, canary, false, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
}
