package dev.ramp.gateway.guard;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.distribution.HypergeometricDistribution;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;

/**
 * Judges a canary against stable: a pure function of two window snapshots and the thresholds.
 *
 * <h2>Rules</h2>
 * Every rule has two parts, and breaches only when both hold:
 * <ol>
 *   <li>the <em>threshold</em>, what the operator configured as "too bad", crossed by the observed
 *       values; and</li>
 *   <li>a one-sided <em>significance test</em> at {@code significance} saying the crossing is not noise.
 *       The guard judges overlapping windows every second for as long as a rollout lasts, so a rule that
 *       fires on a raw threshold fires on noise sooner or later, most of all at low traffic, where one
 *       error among 30 requests is already above 2 %.</li>
 * </ol>
 * <table>
 *   <caption>rules</caption>
 *   <tr><th>rule</th><th>threshold</th><th>test (H0 rejected when p &lt; significance)</th></tr>
 *   <tr><td>{@code error_rate}</td><td>canary error rate &gt; {@code maxErrorRate}</td>
 *       <td>exact binomial: H0 the canary's true error rate is at most {@code maxErrorRate}</td></tr>
 *   <tr><td>{@code error_rate_increase}</td><td>canary minus stable error rate &gt;
 *       {@code maxErrorRateIncrease}</td>
 *       <td>Fisher's exact test: H0 the canary's error rate is no higher than stable's</td></tr>
 *   <tr><td>{@code p99}</td><td>canary p99 &gt; {@code maxP99}</td>
 *       <td>exact binomial: H0 at most 1 % of canary requests are slower than {@code maxP99}</td></tr>
 *   <tr><td>{@code latency_increase}</td><td>canary p95 &gt; stable p95 &times;
 *       (1 + {@code maxLatencyIncrease})</td>
 *       <td>Mann-Whitney U: H0 canary latencies are not stochastically larger than stable's</td></tr>
 * </table>
 * Tests run only when their threshold is crossed, which keeps a healthy evaluation cheap.
 *
 * <p>{@code significance} is the level of each evaluation's test. Consecutive evaluations see mostly the
 * same requests, so requiring {@code breachesToRevert} of them in a row adds little independent evidence,
 * and over a long rollout the chance of a false breach accumulates. Where the threshold sits far outside
 * the noise (the defaults at tens of requests per second) that chance is negligible; at a few requests per
 * second a threshold such as +2 points or +50 % p95 is within the noise, the test alone separates signal
 * from noise, and a healthy canary can be reverted after hours. Raise {@code minRequests} or lower
 * {@code significance} for such routes.
 *
 * <h2>Data requirements</h2>
 * A canary with fewer than {@code minRequests} requests in the window is {@code INSUFFICIENT_DATA}: no
 * rule is judged. With enough canary data but fewer than {@code minRequests} stable requests the absolute
 * rules ({@code error_rate}, {@code p99}) are judged and the comparative ones are skipped, which the
 * evidence reports as {@code compared == false}.
 */
public final class Judge {

    /** The share of requests allowed above {@code maxP99}: that is what a 99th percentile means. */
    private static final double P99_TAIL = 0.01;

    private Judge() {}

    /** The verdict on {@code canary} compared with {@code stable} under the thresholds {@code t}. */
    public static Verdict evaluate(WindowSnapshot stable, WindowSnapshot canary, GuardThresholds t) {
        requireNonNull(stable, "stable");
        requireNonNull(canary, "canary");
        requireNonNull(t, "t");
        if (canary.requests() < t.minRequests()) {
            return new Verdict(Verdict.State.INSUFFICIENT_DATA, List.of(), Evidence.untested(stable, canary));
        }
        final boolean compared = stable.requests() >= t.minRequests();
        final double alpha = t.significance();
        final List<Breach> breaches = new ArrayList<>(4);

        double errorRateP = Double.NaN;
        if (canary.errorRate() > t.maxErrorRate()) {
            errorRateP = binomialUpperTail(canary.errors(), canary.requests(), t.maxErrorRate());
            if (errorRateP < alpha) {
                breaches.add(new Breach(RevertReason.ERROR_RATE.tag(), format(
                        "canary error rate %.2f%% (%d of %d) above %.2f%% (binomial p=%.2g)",
                        100 * canary.errorRate(), canary.errors(), canary.requests(),
                        100 * t.maxErrorRate(), errorRateP)));
            }
        }

        double increaseP = Double.NaN;
        final double increase = canary.errorRate() - stable.errorRate();
        if (compared && increase > t.maxErrorRateIncrease()) {
            increaseP = fisherCanaryWorse(stable, canary);
            if (increaseP < alpha) {
                breaches.add(new Breach(RevertReason.ERROR_RATE_INCREASE.tag(), format(
                        "canary error rate %.2f%% is %.2f points above stable %.2f%%, limit %.2f points "
                        + "(Fisher exact p=%.2g)",
                        100 * canary.errorRate(), 100 * increase, 100 * stable.errorRate(),
                        100 * t.maxErrorRateIncrease(), increaseP)));
            }
        }

        double p99P = Double.NaN;
        final double maxP99Ms = t.maxP99().toNanos() / 1e6;
        if (canary.p99Ms() > maxP99Ms) {
            final long slow = canary.countSlowerThan(t.maxP99());
            p99P = binomialUpperTail(slow, canary.requests(), P99_TAIL);
            if (p99P < alpha) {
                breaches.add(new Breach(RevertReason.P99.tag(), format(
                        "canary p99 %.1f ms above %.1f ms (%d of %d requests slower; binomial p=%.2g)",
                        canary.p99Ms(), maxP99Ms, slow, canary.requests(), p99P)));
            }
        }

        double latencyP = Double.NaN;
        final double maxP95Ms = stable.p95Ms() * (1 + t.maxLatencyIncrease());
        if (compared && canary.p95Ms() > maxP95Ms) {
            latencyP = mannWhitneyCanarySlower(stable.latencySamplesMs(), canary.latencySamplesMs());
            if (latencyP < alpha) {
                breaches.add(new Breach(RevertReason.LATENCY_INCREASE.tag(), format(
                        "canary p95 %.1f ms above stable p95 %.1f ms + %.0f%% = %.1f ms (Mann-Whitney p=%.2g)",
                        canary.p95Ms(), stable.p95Ms(), 100 * t.maxLatencyIncrease(), maxP95Ms, latencyP)));
            }
        }

        final Evidence evidence = new Evidence(stable, canary, compared, errorRateP, increaseP, p99P, latencyP);
        return new Verdict(breaches.isEmpty() ? Verdict.State.HEALTHY : Verdict.State.BREACHING,
                           breaches, evidence);
    }

    /** P(X >= k) for X ~ Binomial(n, p): how likely {@code k} or more hits are if the true rate is {@code p}. */
    static double binomialUpperTail(long k, long n, double p) {
        if (k <= 0) {
            return 1;
        }
        // The null RandomGenerator is the library's own idiom for a distribution that is never sampled; it
        // spares seeding a generator per evaluation.
        final BinomialDistribution binomial = new BinomialDistribution(null, toInt(n), p);
        return 1 - binomial.cumulativeProbability(toInt(k) - 1);
    }

    /**
     * One-sided Fisher exact test: the probability, if errors struck both versions at the same rate, that
     * the canary would get at least as many of all the errors as it did. Exact at any count, unlike a
     * normal-approximation z-test, which is anti-conservative for the handful of errors a young window
     * holds.
     */
    static double fisherCanaryWorse(WindowSnapshot stable, WindowSnapshot canary) {
        final int population = toInt(stable.requests() + canary.requests());
        final int errors = toInt(stable.errors() + canary.errors());
        final HypergeometricDistribution canaryErrors =
                new HypergeometricDistribution(null, population, errors, toInt(canary.requests()));
        return canaryErrors.upperCumulativeProbability(toInt(canary.errors()));
    }

    /**
     * One-sided Mann-Whitney U test that canary latencies are stochastically larger than stable's.
     *
     * <p>commons-math3 only offers the two-sided test (normal approximation, no tie correction, which
     * overestimates the variance with the many ties of bucketed samples and so errs on the side of "not
     * significant"). The U statistic is symmetric around {@code n1 * n2 / 2} under H0, so the one-sided
     * p-value in the direction the data lean is half the two-sided one, and in the other direction it is
     * {@code 1 - p / 2}. The direction comes from the canary's U statistic, computed from the same average
     * ranks the test uses: {@code U = R - n (n + 1) / 2} above {@code n1 * n2 / 2} means canary latencies
     * rank higher. The p95 threshold alone does not establish the direction: a canary with a heavier tail
     * but a faster median has a higher p95 while ranking lower.
     */
    static double mannWhitneyCanarySlower(double[] stableMs, double[] canaryMs) {
        final double twoSided = new MannWhitneyUTest(NaNStrategy.FAILED, TiesStrategy.AVERAGE)
                .mannWhitneyUTest(canaryMs, stableMs);
        final double[] all = new double[canaryMs.length + stableMs.length];
        System.arraycopy(canaryMs, 0, all, 0, canaryMs.length);
        System.arraycopy(stableMs, 0, all, canaryMs.length, stableMs.length);
        final double[] ranks = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE).rank(all);
        double canaryRankSum = 0;
        for (int i = 0; i < canaryMs.length; i++) {
            canaryRankSum += ranks[i];
        }
        final double n = canaryMs.length;
        final double canaryU = canaryRankSum - n * (n + 1) / 2;
        final boolean canaryRanksHigher = canaryU > n * stableMs.length / 2;
        return canaryRanksHigher ? twoSided / 2 : 1 - twoSided / 2;
    }

    private static int toInt(long count) {
        // Window counts are far below 2^31 (that would be 70 million requests a second over 30 s).
        return Math.toIntExact(count);
    }

    private static String format(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
