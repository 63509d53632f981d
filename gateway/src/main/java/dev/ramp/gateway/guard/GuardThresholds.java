package dev.ramp.gateway.guard;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * When the guard judges a canary and what it tolerates; the values of a route's {@code guard} config
 * block. Ratios are in 0..1 ({@code 0.05} is 5 %; an increase of 2 percentage points is {@code 0.02}).
 *
 * <p>Invariants (checked on construction, messages shaped {@code name: value (expected: …)}): durations
 * are positive and {@code evaluateEvery <= window}; {@code maxP99} is at most 60 s, the longest latency
 * the windows track; counts are at least 1; ratios are within their ranges; {@code minLatencyDifference}
 * is zero or more; {@code falseRevertBudget} is in (0, 1) and {@code budgetHorizon >= evaluateEvery}.
 *
 * <h2>Repeated looks</h2>
 * The guard looks at overlapping windows every {@code evaluateEvery} for as long as a rollout lasts, so a
 * fixed significance level per look would make a false revert of a healthy canary certain sooner or later.
 * Instead the {@code falseRevertBudget}, the chance of reverting a healthy canary in one
 * {@code budgetHorizon} of judging, is spent evenly over the looks and rules in that horizon:
 * {@link #testLevel()} is {@code falseRevertBudget * evaluateEvery / budgetHorizon / 4}. By the union
 * (Bonferroni) bound, which holds however the looks are correlated, the chance that any test of any look
 * breaches on a healthy canary within the horizon is at most the budget, whatever {@code evaluateEvery} is;
 * over k horizons it is at most k times the budget.
 *
 * @param evaluateEvery how often the guard judges the windows
 * @param window the sliding window both versions are judged over
 * @param minRequests requests each version needs in the window before it is judged
 * @param maxErrorRate the canary's highest tolerated error rate, absolute
 * @param maxErrorRateIncrease how far the canary's error rate may exceed stable's, in ratio points
 * @param maxP99 the canary's highest tolerated 99th percentile latency
 * @param maxLatencyIncrease how much slower than stable the canary's p95 may be ({@code 0.5} is +50 %)
 * @param breachesToRevert consecutive breaching evaluations that revert
 * @param consecutiveFailuresToRevert canary failures in a row (within one window) that revert at once
 * @param minFailures canary failures in the window an error rule needs before it can breach
 * @param minLatencyDifference how much slower than stable the canary's p95 must at least be for the latency
 *                             rule, whatever the relative increase
 * @param falseRevertBudget the chance, at most, of reverting a healthy canary by chance in one horizon
 * @param budgetHorizon the span of judging the budget covers
 */
public record GuardThresholds(Duration evaluateEvery, Duration window, int minRequests,
                              double maxErrorRate, double maxErrorRateIncrease,
                              Duration maxP99, double maxLatencyIncrease,
                              int breachesToRevert, int consecutiveFailuresToRevert,
                              int minFailures, Duration minLatencyDifference,
                              double falseRevertBudget, Duration budgetHorizon) {

    public static final Duration DEFAULT_EVALUATE_EVERY = Duration.ofSeconds(1);
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(30);
    public static final int DEFAULT_MIN_REQUESTS = 20;
    /** 5 %. */
    public static final double DEFAULT_MAX_ERROR_RATE = 0.05;
    /** 2 percentage points. */
    public static final double DEFAULT_MAX_ERROR_RATE_INCREASE = 0.02;
    public static final Duration DEFAULT_MAX_P99 = Duration.ofSeconds(2);
    /** +50 %. */
    public static final double DEFAULT_MAX_LATENCY_INCREASE = 0.5;
    public static final int DEFAULT_BREACHES_TO_REVERT = 3;
    public static final int DEFAULT_CONSECUTIVE_FAILURES_TO_REVERT = 10;
    public static final int DEFAULT_MIN_FAILURES = 5;
    public static final Duration DEFAULT_MIN_LATENCY_DIFFERENCE = Duration.ofMillis(5);
    /** 0.1 %: one healthy canary in a thousand reverted by chance over a day of judging, at most. */
    public static final double DEFAULT_FALSE_REVERT_BUDGET = 0.001;
    public static final Duration DEFAULT_BUDGET_HORIZON = Duration.ofHours(24);
    /** The rules a look tests, each a share of the look's budget. */
    static final int RULES = 4;

    static final Duration MAX_TRACKED_LATENCY = Duration.ofNanos(WindowSnapshot.HIGHEST_MICROS * 1000);

    private static final GuardThresholds DEFAULTS = new GuardThresholds(
            DEFAULT_EVALUATE_EVERY, DEFAULT_WINDOW, DEFAULT_MIN_REQUESTS, DEFAULT_MAX_ERROR_RATE,
            DEFAULT_MAX_ERROR_RATE_INCREASE, DEFAULT_MAX_P99, DEFAULT_MAX_LATENCY_INCREASE,
            DEFAULT_BREACHES_TO_REVERT, DEFAULT_CONSECUTIVE_FAILURES_TO_REVERT, DEFAULT_MIN_FAILURES,
            DEFAULT_MIN_LATENCY_DIFFERENCE, DEFAULT_FALSE_REVERT_BUDGET, DEFAULT_BUDGET_HORIZON);

    public GuardThresholds {
        requirePositive("evaluateEvery", evaluateEvery);
        requirePositive("window", window);
        if (evaluateEvery.compareTo(window) > 0) {
            throw new IllegalArgumentException(
                    "evaluateEvery: " + evaluateEvery + " (expected: <= window " + window + ')');
        }
        if (minRequests < 1) {
            throw new IllegalArgumentException("minRequests: " + minRequests + " (expected: >= 1)");
        }
        requireRatio("maxErrorRate", maxErrorRate);
        requireRatio("maxErrorRateIncrease", maxErrorRateIncrease);
        requirePositive("maxP99", maxP99);
        if (maxP99.compareTo(MAX_TRACKED_LATENCY) > 0) {
            throw new IllegalArgumentException("maxP99: " + maxP99 + " (expected: > 0 and <= PT1M)");
        }
        if (!(maxLatencyIncrease >= 0) || Double.isInfinite(maxLatencyIncrease)) {
            throw new IllegalArgumentException(
                    "maxLatencyIncrease: " + maxLatencyIncrease + " (expected: >= 0, finite)");
        }
        if (breachesToRevert < 1) {
            throw new IllegalArgumentException("breachesToRevert: " + breachesToRevert + " (expected: >= 1)");
        }
        if (consecutiveFailuresToRevert < 1) {
            throw new IllegalArgumentException(
                    "consecutiveFailuresToRevert: " + consecutiveFailuresToRevert + " (expected: >= 1)");
        }
        if (minFailures < 1) {
            throw new IllegalArgumentException("minFailures: " + minFailures + " (expected: >= 1)");
        }
        requireNonNull(minLatencyDifference, "minLatencyDifference");
        if (minLatencyDifference.isNegative() || minLatencyDifference.compareTo(MAX_TRACKED_LATENCY) > 0) {
            throw new IllegalArgumentException(
                    "minLatencyDifference: " + minLatencyDifference + " (expected: >= 0 and <= PT1M)");
        }
        if (!(falseRevertBudget > 0 && falseRevertBudget < 1)) {
            throw new IllegalArgumentException(
                    "falseRevertBudget: " + falseRevertBudget + " (expected: > 0 and < 1)");
        }
        requirePositive("budgetHorizon", budgetHorizon);
        if (budgetHorizon.compareTo(evaluateEvery) < 0) {
            throw new IllegalArgumentException(
                    "budgetHorizon: " + budgetHorizon + " (expected: >= evaluateEvery " + evaluateEvery + ')');
        }
    }

    /**
     * The level of each rule's test at each look: the false-revert budget spent evenly over the looks of one
     * horizon and the {@value #RULES} rules ({@code 2.9e-9} with the defaults).
     */
    public double testLevel() {
        final double looks = (double) budgetHorizon.toNanos() / evaluateEvery.toNanos();
        return falseRevertBudget / looks / RULES;
    }

    /**
     * The documented defaults (docs/architecture.md): evaluate every 1 s over 30 s, at least 20 requests, 5 % errors,
     * +2 points of errors, p99 2 s, +50 % p95, 3 breaches, 10 failures in a row, at least 5 failures and
     * 5 ms, a false-revert budget of 0.1 % per 24 h.
     */
    public static GuardThresholds defaults() {
        return DEFAULTS;
    }

    private static void requirePositive(String name, Duration value) {
        requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }

    private static void requireRatio(String name, double value) {
        // Written so that NaN fails too.
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: 0..1)");
        }
    }
}
