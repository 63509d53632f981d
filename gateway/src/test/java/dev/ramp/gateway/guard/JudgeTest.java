package dev.ramp.gateway.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.IntToDoubleFunction;

import org.junit.jupiter.api.Test;


class JudgeTest {

    private static final GuardThresholds DEFAULTS = GuardThresholds.defaults();

    @Test
    void identicalHealthyVersionsAreHealthyAndRunNoTest() {
        final WindowSnapshot stable = window(2_000, 20, i -> 20 + i % 7);
        final WindowSnapshot canary = window(2_000, 20, i -> 20 + i % 7);

        final Verdict verdict = Judge.evaluate(stable, canary, DEFAULTS);

        assertThat(verdict.state()).isEqualTo(Verdict.State.HEALTHY);
        assertThat(verdict.breaches()).isEmpty();
        final Evidence evidence = verdict.evidence();
        assertThat(evidence.compared()).isTrue();
        assertThat(evidence.errorRatePValue()).isNaN();
        assertThat(evidence.errorRateIncreasePValue()).isNaN();
        assertThat(evidence.p99PValue()).isNaN();
        assertThat(evidence.latencyPValue()).isNaN();
    }

    @Test
    void tooFewCanaryRequestsAreInsufficientDataEvenWithOnlyErrors() {
        final WindowSnapshot stable = window(2_000, 0, i -> 20);
        final WindowSnapshot canary = window(19, 19, i -> 5_000);

        final Verdict verdict = Judge.evaluate(stable, canary, DEFAULTS);

        assertThat(verdict.state()).isEqualTo(Verdict.State.INSUFFICIENT_DATA);
        assertThat(verdict.breaches()).isEmpty();
        assertThat(verdict.evidence().canary().requests()).isEqualTo(19);
    }

    @Test
    void tooFewStableRequestsJudgeOnlyTheAbsoluteRules() {
        final WindowSnapshot stable = window(5, 0, i -> 10);
        // Far slower and far more failing than stable, but only the absolute rules may say so.
        final WindowSnapshot canary = window(400, 200, i -> i < 30 ? 3_000 : 100);

        final Verdict verdict = Judge.evaluate(stable, canary, DEFAULTS);

        assertThat(verdict.state()).isEqualTo(Verdict.State.BREACHING);
        assertThat(verdict.breaches()).extracting(Breach::rule).containsExactly("error_rate", "p99");
        assertThat(verdict.evidence().compared()).isFalse();
        assertThat(verdict.evidence().errorRateIncreasePValue()).isNaN();
        assertThat(verdict.evidence().latencyPValue()).isNaN();
    }

    @Test
    void errorRateBreachesAlone() {
        // 10 % errors on both: too many in absolute terms, but no worse than stable.
        final WindowSnapshot stable = window(1_000, 100, i -> 20 + i % 5);
        final WindowSnapshot canary = window(1_000, 100, i -> 20 + i % 5);

        final Verdict verdict = Judge.evaluate(stable, canary, DEFAULTS);

        assertThat(verdict.breaches()).extracting(Breach::rule).containsExactly("error_rate");
        assertThat(verdict.breaches().get(0).message()).contains("10.00%", "100 of 1000", "5.00%");
        assertThat(verdict.evidence().errorRatePValue()).isLessThan(DEFAULTS.testLevel());
    }

    @Test
    void errorRateIncreaseBreachesAlone() {
        // 4 % against 0.5 %: under the absolute 5 %, but 3.5 points worse than stable.
        final WindowSnapshot stable = window(2_000, 10, i -> 20 + i % 5);
        final WindowSnapshot canary = window(2_000, 80, i -> 20 + i % 5);

        final Verdict verdict = Judge.evaluate(stable, canary, DEFAULTS);

        assertThat(verdict.breaches()).extracting(Breach::rule).containsExactly("error_rate_increase");
        assertThat(verdict.evidence().errorRateIncreasePValue()).isLessThan(1e-6);
        assertThat(verdict.evidence().errorRatePValue()).isNaN();
    }

    @Test
    void p99BreachesAlone() {
        // Both have 4 % of requests at 3 s (so p95 is equal and the comparison has nothing to say), but the
        // canary's p99 is above the absolute 2 s.
        final WindowSnapshot stable = window(1_000, 0, i -> i < 40 ? 3_000 : 20);
        final WindowSnapshot canary = window(1_000, 0, i -> i < 40 ? 3_000 : 20);

        final Verdict verdict = Judge.evaluate(stable, canary, DEFAULTS);

        assertThat(verdict.breaches()).extracting(Breach::rule).containsExactly("p99");
        assertThat(verdict.breaches().get(0).message()).contains("40 of 1000");
    }

    @Test
    void latencyIncreaseBreachesAlone() {
        final WindowSnapshot stable = window(1_000, 0, i -> 20 + i % 10);
        final WindowSnapshot canary = window(1_000, 0, i -> 120 + i % 10);

        final Verdict verdict = Judge.evaluate(stable, canary, DEFAULTS);

        assertThat(verdict.breaches()).extracting(Breach::rule).containsExactly("latency_increase");
        assertThat(verdict.evidence().latencyPValue()).isLessThan(1e-10);
    }

    @Test
    void allRulesCanBreachTogetherInRuleOrder() {
        final WindowSnapshot stable = window(1_000, 0, i -> 20);
        final WindowSnapshot canary = window(1_000, 500, i -> 2_500);

        final Verdict verdict = Judge.evaluate(stable, canary, DEFAULTS);

        assertThat(verdict.breaches()).extracting(Breach::rule)
                                      .containsExactly("error_rate", "error_rate_increase", "p99", "latency_increase");
    }

    @Test
    void errorRateAboveTheLimitOnAFewRequestsIsNotSignificant() {
        // 2 errors in 30: 6.7 %, above 5 % and 6.7 points above stable, yet a healthy 1 % canary produces
        // this often enough at low traffic that reverting on it would be reverting on noise.
        final WindowSnapshot stable = window(30, 0, i -> 20);
        final WindowSnapshot canary = window(30, 2, i -> 20);

        final Verdict verdict = Judge.evaluate(stable, canary, DEFAULTS);

        assertThat(verdict.state()).isEqualTo(Verdict.State.HEALTHY);
        assertThat(verdict.evidence().errorRatePValue()).isGreaterThan(0.1);
        assertThat(verdict.evidence().errorRateIncreasePValue()).isGreaterThan(0.1);
    }

    @Test
    void oneSlowRequestAmongFewIsNotASignificantP99Breach() {
        final WindowSnapshot stable = window(20, 0, i -> 20);
        final WindowSnapshot canary = window(20, 0, i -> i == 0 ? 3_000 : 20);
        assertThat(canary.p99Ms()).isGreaterThan(2_000);

        final Verdict verdict = Judge.evaluate(stable, canary, DEFAULTS);

        assertThat(verdict.state()).isEqualTo(Verdict.State.HEALTHY);
        assertThat(verdict.evidence().p99PValue()).isGreaterThan(0.1);
    }

    @Test
    void latencyRuleDoesNotFireWhenTheDifferenceIsNotSignificant() {
        final GuardThresholds fewRequests = thresholds(5);
        final WindowSnapshot stable = window(5, 0, i -> new double[] {10, 11, 12, 13, 100}[i]);
        final WindowSnapshot canary = window(5, 0, i -> new double[] {10, 12, 13, 30, 200}[i]);
        assertThat(canary.p95Ms()).isGreaterThan(stable.p95Ms() * 1.5);

        final Verdict verdict = Judge.evaluate(stable, canary, fewRequests);

        assertThat(verdict.state()).isEqualTo(Verdict.State.HEALTHY);
        assertThat(verdict.evidence().latencyPValue()).isBetween(fewRequests.testLevel(), 1.0);
    }

    @Test
    void latencyRuleJudgesTheTailAsItsThresholdDoes() {
        // The canary's p95 is 4x stable's: one request in ten takes 200 ms, although the rest are 5x faster.
        final WindowSnapshot stable = window(1_000, 0, i -> 50);
        final WindowSnapshot canary = window(1_000, 0, i -> i < 900 ? 10 : 200);
        assertThat(canary.p95Ms()).isGreaterThan(stable.p95Ms() * 1.5);

        final Verdict verdict = Judge.evaluate(stable, canary, DEFAULTS);

        assertThat(verdict.breaches()).extracting(Breach::rule).containsExactly("latency_increase");
        assertThat(verdict.breaches().get(0).message()).contains("10.0% of canary requests slower than the pooled p95",
                                                                 "0.0% of stable's");
    }

    @Test
    void aCanaryFasterAtP95ButWithASlowerMedianIsNotALatencyBreach() {
        final WindowSnapshot stable = window(1_000, 0, i -> i < 900 ? 10 : 200);
        final WindowSnapshot canary = window(1_000, 0, i -> 50);

        final Verdict verdict = Judge.evaluate(stable, canary, DEFAULTS);

        assertThat(verdict.state()).isEqualTo(Verdict.State.HEALTHY);
        assertThat(verdict.evidence().latencyPValue()).as("its threshold is not crossed: no test").isNaN();
    }

    @Test
    void aSubMillisecondDifferenceIsNeverALatencyBreachHoweverCertain() {
        // 0.7 ms against 0.9 ms on 10 000 requests each: +29 %, certain, and irrelevant.
        final WindowSnapshot stable = window(10_000, 0, i -> 0.7);
        final WindowSnapshot canary = window(10_000, 0, i -> 0.9 + (i % 10) * 0.01);

        final Verdict verdict = Judge.evaluate(stable, canary, DEFAULTS);

        assertThat(verdict.state()).isEqualTo(Verdict.State.HEALTHY);
        final RuleCheck latency = verdict.evidence().check(RevertReason.LATENCY_INCREASE);
        assertThat(latency.value()).isCloseTo(0.29, within(0.01));
        assertThat(latency.limit()).as("min-latency-difference").isEqualTo(5.0);
        assertThat(latency.pValue()).isNaN();
    }

    @Test
    void errorRulesNeedMinFailuresHoweverFewRequests() {
        // 4 errors in 20: 20 %, far above both limits, but fewer failures than min-failures (5).
        final Verdict fewFailures = Judge.evaluate(window(20, 0, i -> 20), window(20, 4, i -> 20), DEFAULTS);
        assertThat(fewFailures.state()).isEqualTo(Verdict.State.HEALTHY);
        assertThat(fewFailures.evidence().errorRatePValue()).isNaN();
        assertThat(fewFailures.evidence().errorRateIncreasePValue()).isNaN();
        assertThat(fewFailures.evidence().check(RevertReason.ERROR_RATE).value()).isEqualTo(0.2);
    }

    @Test
    void fisherTestIsExactForSmallCounts() {
        // 3 errors in total, all on the canary, 10 requests each: P = C(10,3) / C(20,3) = 120 / 1140.
        final double p = Judge.fisherCanaryWorse(0, 10, 3, 10);
        assertThat(p).isCloseTo(120.0 / 1140, within(1e-12));
    }

    @Test
    void binomialTailIsTheChanceOfAtLeastKHits() {
        assertThat(Judge.binomialUpperTail(0, 10, 0.3)).isEqualTo(1.0);
        // 1 slow request in 20 at a 1 % tail: 1 - 0.99^20.
        assertThat(Judge.binomialUpperTail(1, 20, 0.01)).isCloseTo(1 - Math.pow(0.99, 20), within(1e-12));
        assertThat(Judge.binomialUpperTail(1, 20, 0.0)).isZero();
    }

    @Test
    void verdictStateAndBreachesAgree() {
        final Evidence evidence = Evidence.untested(WindowSnapshot.EMPTY, WindowSnapshot.EMPTY);
        assertThatThrownBy(() -> new Verdict(Verdict.State.BREACHING, List.of(), evidence))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Verdict(Verdict.State.HEALTHY, List.of(new Breach("p99", "x")), evidence))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A window of {@code requests} attempts, the first {@code errors} of them failed, attempt i took latencyMs(i). */
    static WindowSnapshot window(int requests, int errors, IntToDoubleFunction latencyMs) {
        final SlidingWindow window = new SlidingWindow(Duration.ofSeconds(30), new FakeClock());
        for (int i = 0; i < requests; i++) {
            window.record(i < errors ? Outcome.SERVER_5XX : Outcome.SUCCESS_2XX,
                          Math.round(latencyMs.applyAsDouble(i) * 1e6));
        }
        return window.snapshot();
    }

    static GuardThresholds thresholds(int minRequests) {
        final GuardThresholds d = GuardThresholds.defaults();
        return new GuardThresholds(d.evaluateEvery(), d.window(), minRequests, d.maxErrorRate(),
                                   d.maxErrorRateIncrease(), d.maxP99(), d.maxLatencyIncrease(),
                                   d.breachesToRevert(), d.consecutiveFailuresToRevert(), d.minFailures(),
                                   d.minLatencyDifference(), d.falseRevertBudget(), d.budgetHorizon());
    }
}
