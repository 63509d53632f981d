package dev.ramp.gateway.guard;

import static dev.ramp.gateway.guard.TrafficSimulation.apiLatency;
import static dev.ramp.gateway.guard.TrafficSimulation.logNormalMicros;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ramp.gateway.guard.TrafficSimulation.Revert;
import dev.ramp.gateway.guard.TrafficSimulation.Version;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The cases that reverted healthy canaries before practical significance and the false-revert budget: each
 * simulated for as long as it took to revert then, many times over. The full measurement (simulated days,
 * many seeds) is {@link GuardSimulationReport}.
 */
class GuardRepeatedLooksTest {

    private static final GuardThresholds DEFAULTS = GuardThresholds.defaults();

    /** Runs the canary at {@code canaryRate} and 20 % of the traffic; counts breaching looks into {@code breaching}. */
    private static List<Revert> run(GuardThresholds t, Duration d, double canaryRate, Version stable, Version canary,
                                    AtomicLong breaching) {
        return TrafficSimulation.run(t, d, canaryRate, 4, stable, canary, 1, false, e -> {
            if (e.verdict().state() == Verdict.State.BREACHING) {
                breaching.incrementAndGet();
            }
        });
    }

    @Test
    void subMillisecondUpstreamsWithAColderCanaryAreNeverBreaching() {
        // Two identical fast upstreams; the canary's connection is colder: p95 ~1.1 ms against ~0.7 ms, +60 %.
        // With tens of thousands of samples the difference is certain, and it does not matter.
        final AtomicLong breaching = new AtomicLong();
        final List<Revert> reverts = run(DEFAULTS, Duration.ofMinutes(10), 1_000,
                Version.of(0.0, logNormalMicros(600, 0.1)), Version.of(0.0, logNormalMicros(750, 0.25)), breaching);
        assertThat(reverts).isEmpty();
        assertThat(breaching).hasValue(0);
    }

    @Test
    void aCanaryExactlyOneMillisecondSlowerIsNeverBreaching() {
        final AtomicLong breaching = new AtomicLong();
        final List<Revert> reverts = run(DEFAULTS, Duration.ofMinutes(10), 500,
                Version.of(0.0, logNormalMicros(600, 0.1)),
                Version.of(0.0, TrafficSimulation.plusMicros(logNormalMicros(600, 0.1), 1000)), breaching);
        assertThat(reverts).isEmpty();
        assertThat(breaching).hasValue(0);
    }

    @Test
    void aQuietRouteJudgedEvery100MsKeepsItsHealthyCanaryForHours() {
        // Small windows looked at ten times a second at ~40 req/s: reverted within two minutes at p < 0.01 per
        // look; now each look spends a 864 000th of the day's budget.
        final GuardThresholds often = new GuardThresholds(Duration.ofMillis(100), Duration.ofSeconds(5), 20, 0.05,
                0.02, Duration.ofSeconds(2), 0.5, 3, 10, 5, Duration.ofMillis(5), 0.001, Duration.ofHours(24));
        final AtomicLong breaching = new AtomicLong();
        final List<Revert> reverts = TrafficSimulation.run(often, Duration.ofHours(2), 40, 1,
                Version.of(0.01, apiLatency(15, 5)), Version.of(0.01, apiLatency(15, 5)), 3, false, e -> {
                    if (e.verdict().state() == Verdict.State.BREACHING) {
                        breaching.incrementAndGet();
                    }
                });
        assertThat(reverts).isEmpty();
        assertThat(breaching).hasValue(0);
    }

    @Test
    void theBudgetIsSpreadOverEveryLookAndRuleOfTheHorizonWhateverEvaluateEveryIs() {
        for (Duration every : new Duration[] {Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(30)}) {
            final GuardThresholds t = new GuardThresholds(every, Duration.ofSeconds(30), 20, 0.05, 0.02,
                    Duration.ofSeconds(2), 0.5, 3, 10, 5, Duration.ofMillis(5), 0.001, Duration.ofHours(24));
            final double looks = Duration.ofHours(24).toMillis() / (double) every.toMillis();
            assertThat(t.testLevel() * looks * GuardThresholds.RULES).as("every %s", every)
                    .isCloseTo(0.001, within(1e-12));
        }
        assertThat(DEFAULTS.testLevel()).isCloseTo(2.894e-9, within(1e-12));
    }
}
