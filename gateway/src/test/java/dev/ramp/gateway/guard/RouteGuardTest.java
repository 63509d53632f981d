package dev.ramp.gateway.guard;

import static dev.ramp.gateway.guard.TrafficSimulation.apiLatency;
import static dev.ramp.gateway.guard.TrafficSimulation.gaussianMs;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.ramp.gateway.guard.TrafficSimulation.Result;
import dev.ramp.gateway.guard.TrafficSimulation.Revert;
import dev.ramp.gateway.guard.TrafficSimulation.Version;

class RouteGuardTest {

    private static final GuardThresholds DEFAULTS = GuardThresholds.defaults();
    private static final long LATENCY_20MS = 20_000_000;

    private final FakeClock clock = new FakeClock();
    private final List<Revert> reverts = new ArrayList<>();
    private final RouteGuard guard = TrafficSimulation.guard(DEFAULTS, clock, reverts);

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 20);
    }

    @Test
    void insufficientDataNeverRevertsEvenWithOnlyErrorsAtFiveRequestsPerMinute() {
        final Result result = TrafficSimulation.run(
                DEFAULTS, Duration.ofMinutes(5), 5.0 / 60,
                Version.of(0, gaussianMs(20, 2)), Version.of(1.0, gaussianMs(20, 2)), 1, false);

        assertThat(result.reverts()).isEmpty();
        assertThat(result.evaluations()).hasSize(300).allSatisfy(evaluation -> {
            assertThat(evaluation.verdict().state()).isEqualTo(Verdict.State.INSUFFICIENT_DATA);
            assertThat(evaluation.consecutiveBreaches()).isZero();
        });
        // 25 failures in a row, but never ten within one window: the fast path holds too.
        assertThat(result.evaluations().get(299).verdict().evidence().canary().errorRate()).isEqualTo(1.0);
    }

    @Test
    void totalFailureRevertsThroughTheFastPathAfterExactlyTheConfiguredFailures() {
        for (int i = 1; i < DEFAULTS.consecutiveFailuresToRevert(); i++) {
            clock.advance(Duration.ofMillis(10)); // 100 req/s
            guard.record(Role.CANARY, Outcome.SERVER_5XX, LATENCY_20MS);
            assertThat(reverts).as("after %d failures", i).isEmpty();
        }
        clock.advance(Duration.ofMillis(10));
        guard.record(Role.CANARY, Outcome.SERVER_5XX, LATENCY_20MS);

        assertThat(reverts).singleElement().satisfies(revert -> {
            assertThat(revert.reason()).isEqualTo(RevertReason.CONSECUTIVE_FAILURES);
            assertThat(revert.evidence().canary().errors()).isEqualTo(10);
            assertThat(revert.after()).isLessThan(Duration.ofSeconds(2));
        });
        assertThat(guard.revertReason()).contains(RevertReason.CONSECUTIVE_FAILURES);
    }

    @Test
    void everyKindOfFailureCountsTowardsTheFastPath() {
        final Outcome[] failures = {Outcome.SERVER_5XX, Outcome.CONNECT_ERROR, Outcome.TIMEOUT, Outcome.RESET};
        for (int i = 0; i < 10; i++) {
            guard.record(Role.CANARY, failures[i % failures.length], LATENCY_20MS);
        }
        assertThat(reverts).extracting(Revert::reason).containsExactly(RevertReason.CONSECUTIVE_FAILURES);
    }

    @Test
    void aCanarySuccessOrClientErrorRestartsTheFailureCount() {
        for (int i = 0; i < 9; i++) {
            guard.record(Role.CANARY, Outcome.SERVER_5XX, LATENCY_20MS);
        }
        guard.record(Role.CANARY, Outcome.CLIENT_4XX, LATENCY_20MS);
        for (int i = 0; i < 9; i++) {
            guard.record(Role.CANARY, Outcome.TIMEOUT, LATENCY_20MS);
        }
        guard.record(Role.CANARY, Outcome.SUCCESS_2XX, LATENCY_20MS);
        for (int i = 0; i < 9; i++) {
            guard.record(Role.CANARY, Outcome.SERVER_5XX, LATENCY_20MS);
        }
        // Stable failures are not canary failures.
        guard.record(Role.STABLE, Outcome.SERVER_5XX, LATENCY_20MS);
        assertThat(reverts).isEmpty();

        guard.record(Role.CANARY, Outcome.SERVER_5XX, LATENCY_20MS);
        assertThat(reverts).extracting(Revert::reason).containsExactly(RevertReason.CONSECUTIVE_FAILURES);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void fiveMorePointsOfErrorsThanStableRevertWithin15Seconds(long seed) {
        // The canary at 100 req/s and 20 % of the route's traffic; bad from its start.
        final List<Evaluation> evaluations = new ArrayList<>();
        final Result result = new Result(TrafficSimulation.run(DEFAULTS, Duration.ofSeconds(15), 100, 4,
                Version.of(0.01, apiLatency(15, 5)), Version.of(0.06, apiLatency(15, 5)), seed, true,
                evaluations::add), evaluations);

        assertThat(result.reverts()).singleElement().satisfies(revert -> {
            // The canary's 6 % is also above the absolute 5 %, so that rule may come first in the verdict;
            // the increase rule must have breached either way.
            assertThat(revert.reason()).isIn(RevertReason.ERROR_RATE_INCREASE, RevertReason.ERROR_RATE);
            assertThat(revert.after()).isLessThanOrEqualTo(Duration.ofSeconds(15));
        });
        final Verdict last = result.evaluations().get(result.evaluations().size() - 1).verdict();
        assertThat(last.breaches()).extracting(Breach::rule).contains("error_rate_increase");
    }

    @Test
    void aCanary100MsSlowerRevertsAfterTheConfiguredNumberOfBreachingEvaluations() {
        final Result result = TrafficSimulation.run(
                DEFAULTS, Duration.ofSeconds(60), 75,
                Version.of(0.01, gaussianMs(20, 4)), Version.of(0.01, gaussianMs(120, 4)), 5, false);

        assertThat(result.reverts()).singleElement().satisfies(revert -> {
            assertThat(revert.reason()).isEqualTo(RevertReason.LATENCY_INCREASE);
            assertThat(revert.after()).isEqualTo(Duration.ofSeconds(DEFAULTS.breachesToRevert()));
        });
        final List<Evaluation> evaluations = result.evaluations();
        for (int i = 0; i < DEFAULTS.breachesToRevert(); i++) {
            assertThat(evaluations.get(i).verdict().breaches()).extracting(Breach::rule)
                                                               .containsExactly("latency_increase");
            assertThat(evaluations.get(i).consecutiveBreaches()).isEqualTo(i + 1);
            assertThat(evaluations.get(i).revertTriggered()).isEqualTo(i == DEFAULTS.breachesToRevert() - 1);
        }
        // Quiet after the revert: still judged, never counted or fired again.
        assertThat(evaluations.subList(DEFAULTS.breachesToRevert(), evaluations.size())).allSatisfy(evaluation -> {
            assertThat(evaluation.verdict().state()).isEqualTo(Verdict.State.BREACHING);
            assertThat(evaluation.consecutiveBreaches()).isZero();
            assertThat(evaluation.revertTriggered()).isFalse();
            assertThat(evaluation.revertReason()).contains(RevertReason.LATENCY_INCREASE);
        });
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void aHealthyCanaryWithStablesNoiseDoesNotRevertInFiveMinutes(long seed) {
        final Version same = Version.of(0.01, apiLatency(15, 5));

        final Result result = TrafficSimulation.run(DEFAULTS, Duration.ofMinutes(5), 75, same, same, seed, false);

        assertThat(result.reverts()).isEmpty();
        assertThat(result.evaluations()).hasSize(300);
        // Not merely "no three in a row": no evaluation breached at all.
        assertThat(result.evaluations()).noneSatisfy(
                evaluation -> assertThat(evaluation.verdict().state()).isEqualTo(Verdict.State.BREACHING));
    }

    @Test
    void aNonBreachingEvaluationEndsARunOfBreaches() {
        final GuardThresholds shortWindow = new GuardThresholds(
                Duration.ofSeconds(1), Duration.ofSeconds(3), 20, 0.05, 0.02, Duration.ofSeconds(2), 0.5, 3, 10, 5, Duration.ofMillis(5), 0.001, Duration.ofHours(24));
        final RouteGuard guard = TrafficSimulation.guard(shortWindow, clock, reverts);

        for (int second = 0; second < 2; second++) {
            sendSecond(guard, 100, 120_000_000);
            assertThat(guard.evaluate().verdict().state()).isEqualTo(Verdict.State.BREACHING);
        }
        assertThat(guard.consecutiveBreaches()).isEqualTo(2);
        // The canary gets no traffic for the whole window: insufficient data, the run is over.
        clock.advance(Duration.ofSeconds(3));
        guard.evaluate();
        assertThat(guard.lastVerdict().state()).isEqualTo(Verdict.State.INSUFFICIENT_DATA);
        assertThat(guard.consecutiveBreaches()).isZero();

        for (int second = 0; second < 2; second++) {
            sendSecond(guard, 100, 120_000_000);
            guard.evaluate();
        }
        assertThat(reverts).isEmpty();
        sendSecond(guard, 100, 120_000_000);
        assertThat(guard.evaluate().revertTriggered()).isTrue();
        assertThat(reverts).extracting(Revert::reason).containsExactly(RevertReason.LATENCY_INCREASE);
    }

    @Test
    void afterARevertTheGuardStaysQuietUntilReset() {
        failCanary(10);
        failCanary(30);
        assertThat(reverts).hasSize(1);

        guard.reset();

        assertThat(guard.revertReason()).isEmpty();
        assertThat(guard.consecutiveBreaches()).isZero();
        assertThat(guard.snapshot(Role.CANARY).requests()).isZero();
        assertThat(guard.lastVerdict().state()).isEqualTo(Verdict.State.INSUFFICIENT_DATA);
        failCanary(9);
        assertThat(reverts).hasSize(1);
        failCanary(1);
        assertThat(reverts).hasSize(2);
    }

    @Test
    void resetKeepsStablesWindow() {
        guard.record(Role.STABLE, Outcome.SUCCESS_2XX, LATENCY_20MS);
        guard.record(Role.CANARY, Outcome.SUCCESS_2XX, LATENCY_20MS);

        guard.reset();

        assertThat(guard.snapshot(Role.STABLE).requests()).isEqualTo(1);
        assertThat(guard.snapshot(Role.CANARY).requests()).isZero();
    }

    @Test
    void aManualRevertNotifiesOnceAndSilencesTheGuard() {
        assertThat(guard.revert(RevertReason.MANUAL)).isTrue();
        assertThat(guard.revert(RevertReason.MANUAL)).isFalse();
        failCanary(20);

        assertThat(reverts).extracting(Revert::reason).containsExactly(RevertReason.MANUAL);
    }

    @Test
    void aGuardRestoredAsRevertedStaysQuietWithoutNotifying() {
        guard.markReverted(RevertReason.ERROR_RATE);
        failCanary(20);

        assertThat(reverts).isEmpty();
        assertThat(guard.revertReason()).contains(RevertReason.ERROR_RATE);
    }

    @Test
    void aFailingListenerDoesNotUndoTheRevert() {
        final List<RevertReason> calls = new ArrayList<>();
        final RouteGuard guard = new RouteGuard("shop", DEFAULTS, clock, (reason, evidence) -> {
            calls.add(reason);
            throw new IllegalStateException("disk full");
        });
        for (int i = 0; i < 25; i++) {
            guard.record(Role.CANARY, Outcome.SERVER_5XX, LATENCY_20MS);
        }

        assertThat(calls).containsExactly(RevertReason.CONSECUTIVE_FAILURES);
        assertThat(guard.revertReason()).contains(RevertReason.CONSECUTIVE_FAILURES);
    }

    @Test
    void beforeTheFirstEvaluationTheVerdictIsInsufficientData() {
        assertThat(guard.lastVerdict().state()).isEqualTo(Verdict.State.INSUFFICIENT_DATA);
        assertThat(guard.lastVerdict().evidence().stable()).isEqualTo(WindowSnapshot.EMPTY);
    }

    private void failCanary(int times) {
        for (int i = 0; i < times; i++) {
            clock.advance(Duration.ofMillis(10));
            guard.record(Role.CANARY, Outcome.SERVER_5XX, LATENCY_20MS);
        }
    }

    /** One second of traffic: {@code perVersion} requests each, stable at 20 ms, canary at the given latency. */
    private void sendSecond(RouteGuard guard, int perVersion, long canaryLatencyNanos) {
        for (int i = 0; i < perVersion; i++) {
            clock.advanceNanos(1_000_000_000L / perVersion);
            guard.record(Role.STABLE, Outcome.SUCCESS_2XX, LATENCY_20MS + i * 10_000L);
            guard.record(Role.CANARY, Outcome.SUCCESS_2XX, canaryLatencyNanos + i * 10_000L);
        }
    }
}
