package dev.ramp.gateway.guard;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.distribution.HypergeometricDistribution;

/**
 * Judges a canary against stable: a pure function of two window snapshots and the thresholds.
 *
 * <h2>Rules</h2>
 * Every rule has three parts, and breaches only when all hold:
 * <ol>
 *   <li>the <em>threshold</em>, what the operator configured as "too bad", crossed by the observed
 *       values;</li>
 *   <li><em>practical significance</em>: an error rule needs at least {@code minFailures} canary failures in
 *       the window, the latency rule a canary p95 at least {@code minLatencyDifference} above stable's. A
 *       relative limit alone on sub-millisecond figures would call a canary whose colder connection answers
 *       in 0.9 ms instead of 0.7 ms "50 % slower"; and</li>
 *   <li>a one-sided <em>significance test</em> at {@link GuardThresholds#testLevel()} saying the crossing is
 *       not noise. That level is the false-revert budget spread over every look of a horizon, so the chance of
 *       reverting a healthy canary stays bounded however long the rollout judges and however often it looks
 *       (docs/architecture.md, "Guard").</li>
 * </ol>
 * <table>
 *   <caption>rules</caption>
 *   <tr><th>rule</th><th>threshold</th><th>test (H0 rejected when p &lt; testLevel)</th></tr>
 *   <tr><td>{@code error_rate}</td><td>canary error rate &gt; {@code maxErrorRate}</td>
 *       <td>exact binomial: H0 the canary's true error rate is at most {@code maxErrorRate}</td></tr>
 *   <tr><td>{@code error_rate_increase}</td><td>canary minus stable error rate &gt;
 *       {@code maxErrorRateIncrease}</td>
 *       <td>Fisher's exact test: H0 the canary's error rate is no higher than stable's</td></tr>
 *   <tr><td>{@code p99}</td><td>canary p99 &gt; {@code maxP99}</td>
 *       <td>exact binomial: H0 at most 1 % of canary requests are slower than {@code maxP99}</td></tr>
 *   <tr><td>{@code latency_increase}</td><td>canary p95 &gt; stable p95 &times;
 *       (1 + {@code maxLatencyIncrease}) and &gt; stable p95 + {@code minLatencyDifference}</td>
 *       <td>Fisher's exact test on the requests slower than the pooled p95, and on those slower than the
 *       pooled median, of both versions, each at half the level: H0 the canary has no larger share of them
 *       than stable</td></tr>
 * </table>
 * The latency rule judges the tail, as its threshold does: a canary that makes one request in ten slow is
 * slower at p95 even if its median is faster. Its tests need no shape for the latencies: a pooled
 * percentile does not depend on which version a request went to, so under H0 (both versions alike) the
 * canary's count of slower requests is hypergeometric and each test is exact. The median threshold is there
 * for a canary slower across the board, whose requests may all lie above the pooled p95. A rank test such
 * as Mann-Whitney asks about the whole distribution instead, and lost a regression in the newest seconds of
 * a window among its older, healthy requests for ten seconds and more.
 * Tests run only when their threshold is crossed, which keeps a healthy evaluation cheap. Every rule's
 * figure, limit and p-value go into the {@link Evidence} ({@link RuleCheck}), so the status shows how far
 * each rule is from breaching.
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
        final double alpha = t.testLevel();
        final boolean enoughFailures = canary.errors() >= t.minFailures();
        final List<Breach> breaches = new ArrayList<>(4);
        final List<RuleCheck> checks = new ArrayList<>(4);

        double p = Double.NaN;
        if (enoughFailures && canary.errorRate() > t.maxErrorRate()) {
            p = binomialUpperTail(canary.errors(), canary.requests(), t.maxErrorRate());
            if (p < alpha) {
                breaches.add(new Breach(RevertReason.ERROR_RATE.tag(), format(
                        "canary error rate %.2f%% (%d of %d) above %.2f%% (binomial p=%.2g < %.2g)",
                        100 * canary.errorRate(), canary.errors(), canary.requests(),
                        100 * t.maxErrorRate(), p, alpha)));
            }
        }
        checks.add(new RuleCheck(RevertReason.ERROR_RATE.tag(), canary.errorRate(), t.maxErrorRate(), p, p < alpha));

        final double increase = canary.errorRate() - stable.errorRate();
        if (compared) {
            p = Double.NaN;
            if (enoughFailures && increase > t.maxErrorRateIncrease()) {
                p = fisherCanaryWorse(stable.errors(), stable.requests(), canary.errors(), canary.requests());
                if (p < alpha) {
                    breaches.add(new Breach(RevertReason.ERROR_RATE_INCREASE.tag(), format(
                            "canary error rate %.2f%% is %.2f points above stable %.2f%%, limit %.2f points "
                            + "(Fisher exact p=%.2g < %.2g)",
                            100 * canary.errorRate(), 100 * increase, 100 * stable.errorRate(),
                            100 * t.maxErrorRateIncrease(), p, alpha)));
                }
            }
            checks.add(new RuleCheck(RevertReason.ERROR_RATE_INCREASE.tag(), increase, t.maxErrorRateIncrease(), p,
                                     p < alpha));
        } else {
            checks.add(RuleCheck.skipped(RevertReason.ERROR_RATE_INCREASE, t.maxErrorRateIncrease()));
        }

        p = Double.NaN;
        final double maxP99Ms = t.maxP99().toNanos() / 1e6;
        if (canary.p99Ms() > maxP99Ms) {
            final long slow = canary.countSlowerThan(t.maxP99());
            p = binomialUpperTail(slow, canary.requests(), P99_TAIL);
            if (p < alpha) {
                breaches.add(new Breach(RevertReason.P99.tag(), format(
                        "canary p99 %.1f ms above %.1f ms (%d of %d requests slower; binomial p=%.2g < %.2g)",
                        canary.p99Ms(), maxP99Ms, slow, canary.requests(), p, alpha)));
            }
        }
        checks.add(new RuleCheck(RevertReason.P99.tag(), canary.p99Ms(), maxP99Ms, p, p < alpha));

        final double minDifferenceMs = t.minLatencyDifference().toNanos() / 1e6;
        final double allowedMs = Math.max(stable.p95Ms() * t.maxLatencyIncrease(), minDifferenceMs);
        if (compared) {
            p = Double.NaN;
            final double slowerMs = canary.p95Ms() - stable.p95Ms();
            if (slowerMs > allowedMs) {
                // Two thresholds, each test at half the level: the pooled p95 catches a slower tail, the pooled
                // median a slower whole (whose requests may all sit above the pooled p95, leaving none below).
                final SlowShare tail = SlowShare.above(stable, canary, 95);
                final SlowShare body = SlowShare.above(stable, canary, 50);
                final SlowShare stronger = tail.pValue() <= body.pValue() ? tail : body;
                p = Math.min(1, 2 * stronger.pValue());
                if (p < alpha) {
                    breaches.add(new Breach(RevertReason.LATENCY_INCREASE.tag(), format(
                            "canary p95 %.1f ms is %.1f ms above stable p95 %.1f ms, limit +%.1f ms (+%.0f%%, at "
                            + "least %.1f ms); %.1f%% of canary requests slower than the pooled p%d %.1f ms, "
                            + "%.1f%% of stable's (Fisher exact, doubled for two thresholds, p=%.2g < %.2g)",
                            canary.p95Ms(), slowerMs, stable.p95Ms(), allowedMs, 100 * t.maxLatencyIncrease(),
                            minDifferenceMs, 100 * stronger.canaryShare(), stronger.percentile(),
                            stronger.thresholdMs(), 100 * stronger.stableShare(), p, alpha)));
                }
            }
            checks.add(new RuleCheck(RevertReason.LATENCY_INCREASE.tag(), slowerMs, allowedMs, p, p < alpha));
        } else {
            checks.add(RuleCheck.skipped(RevertReason.LATENCY_INCREASE, allowedMs));
        }

        final Evidence evidence = new Evidence(stable, canary, compared, alpha, checks);
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
     * One-sided Fisher exact test: the probability, if hits (errors, or slow requests) struck both versions at
     * the same rate, that the canary would get at least as many of all the hits as it did. Exact at any count,
     * unlike a normal-approximation z-test, which is anti-conservative for the handful of errors a young
     * window holds; that exactness is what lets the tiny test level of repeated looks mean what it says.
     */
    static double fisherCanaryWorse(long stableHits, long stableRequests, long canaryHits, long canaryRequests) {
        final int population = toInt(stableRequests + canaryRequests);
        final int hits = toInt(stableHits + canaryHits);
        final HypergeometricDistribution canaryShare =
                new HypergeometricDistribution(null, population, hits, toInt(canaryRequests));
        return canaryShare.upperCumulativeProbability(toInt(canaryHits));
    }

    /**
     * The requests of each version slower than a percentile of both versions' latencies pooled, and the
     * one-sided Fisher exact p-value that the canary has the larger share of them.
     */
    private record SlowShare(int percentile, double thresholdMs, double stableShare, double canaryShare,
                             double pValue) {

        static SlowShare above(WindowSnapshot stable, WindowSnapshot canary, int percentile) {
            final long micros = stable.pooledPercentileMicros(canary, percentile);
            final long stableSlow = stable.countSlowerThanMicros(micros);
            final long canarySlow = canary.countSlowerThanMicros(micros);
            return new SlowShare(percentile, micros / 1000.0, (double) stableSlow / stable.requests(),
                                 (double) canarySlow / canary.requests(),
                                 fisherCanaryWorse(stableSlow, stable.requests(), canarySlow, canary.requests()));
        }
    }

    private static int toInt(long count) {
        // Window counts are far below 2^31 (that would be 70 million requests a second over 30 s).
        return Math.toIntExact(count);
    }

    private static String format(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
