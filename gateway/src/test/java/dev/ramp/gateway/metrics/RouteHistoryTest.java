package dev.ramp.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ramp.gateway.guard.Outcome;
import dev.ramp.gateway.routing.Version;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The dashboard's per-second ring: points, gaps, percentiles, its bound, and what an idle route costs. */
class RouteHistoryTest {
    static final long T0 = 1_764_000_000L;

    static long ms(double millis) {
        return (long) (millis * TimeUnit.MILLISECONDS.toNanos(1));
    }

    @Test
    void anIdleRouteHoldsNoBuffersAndTicksCostNothing() {
        RouteHistory h = new History().forRoute("idle");
        h.tick(T0);
        assertThat(h.active()).isFalse();
        assertThat(h.points(Version.STABLE).size()).isZero();
        assertThat(h.latest(Version.CANARY)).isNull();
    }

    @Test
    void eachTickClosesOneSecondPerVersion() {
        RouteHistory h = new History().forRoute("shop");
        for (int i = 1; i <= 100; i++) {
            h.onAttempt(Version.STABLE, Outcome.SUCCESS_2XX, ms(i)); // 1..100 ms
        }
        h.onAttempt(Version.CANARY, Outcome.SUCCESS_2XX, ms(5));
        h.onAttempt(Version.CANARY, Outcome.ofStatus(503), ms(5));
        h.tick(T0 + 1);
        RouteHistory.Point s = h.latest(Version.STABLE);
        assertThat(s.second()).isEqualTo(T0);
        assertThat(s.requests()).isEqualTo(100);
        assertThat(s.errors()).isZero();
        // Percentiles to within a bucket (four per doubling: the upper edge is at most 25 % above).
        assertThat((double) s.p50Ms()).isBetween(50.0, 50 * 1.25);
        assertThat((double) s.p99Ms()).isBetween(99.0, 99 * 1.25);
        RouteHistory.Point c = h.latest(Version.CANARY);
        assertThat(c.requests()).isEqualTo(2);
        assertThat(c.errors()).isEqualTo(1);
        h.tick(T0 + 2); // a quiet second
        assertThat(h.latest(Version.STABLE).requests()).isZero();
        assertThat(h.latest(Version.STABLE).p99Ms()).isNaN();
        assertThat(h.points(Version.STABLE).requests()).containsExactly(100, 0);
    }

    @Test
    void missedTicksBecomeEmptySecondsAndTheRingKeepsFifteenMinutes() {
        RouteHistory h = new History().forRoute("shop");
        h.onAttempt(Version.STABLE, Outcome.SUCCESS_2XX, ms(1));
        h.tick(T0);
        h.onAttempt(Version.STABLE, Outcome.SUCCESS_2XX, ms(1));
        h.onAttempt(Version.STABLE, Outcome.SUCCESS_2XX, ms(1));
        h.tick(T0 + 4); // three ticks never happened
        RouteHistory.Points p = h.points(Version.STABLE);
        assertThat(p.requests()).containsExactly(1, 0, 0, 0, 2);
        assertThat(p.end()).isEqualTo(T0 + 3);
        for (int i = 5; i < 2000; i++) {
            h.onAttempt(Version.STABLE, Outcome.SUCCESS_2XX, ms(1));
            h.tick(T0 + i);
        }
        p = h.points(Version.STABLE);
        assertThat(p.size()).isEqualTo(RouteHistory.SECONDS);
        assertThat(p.end()).isEqualTo(T0 + 1998);
        assertThat(p.requests()).containsOnly(1);
    }

    @Test
    void aClockThatStepsBackNeverRewritesTheRing() {
        RouteHistory h = new History().forRoute("shop");
        h.onAttempt(Version.STABLE, Outcome.SUCCESS_2XX, ms(1));
        h.tick(T0);
        h.onAttempt(Version.STABLE, Outcome.SUCCESS_2XX, ms(1));
        h.tick(T0 - 5); // counted in the next second instead
        assertThat(h.points(Version.STABLE).requests()).containsExactly(1);
        h.tick(T0 + 1);
        assertThat(h.points(Version.STABLE).requests()).containsExactly(1, 1);
    }

    @Test
    void bucketsAreOrderedAndTheirEdgesContainTheirLatencies() {
        int prev = -1;
        for (long micros = 0; micros < 70_000_000L; micros = micros * 11 / 10 + 1) {
            int b = RouteHistory.bucket(micros);
            assertThat(b).isGreaterThanOrEqualTo(prev);
            prev = b;
            if (b < RouteHistory.BUCKETS - 1) {
                assertThat(RouteHistory.upperMs(b) * 1000).isGreaterThanOrEqualTo(micros);
                assertThat(RouteHistory.upperMs(b) * 1000).isCloseTo(micros, within(Math.max(1.0, micros * 0.5)));
            }
        }
    }

    @Test
    void aReloadForgetsRemovedRoutesAndKeepsTheOthers() {
        History all = new History();
        RouteHistory kept = all.forRoute("a");
        all.forRoute("b");
        all.retain(Set.of("a"));
        assertThat(all.route("b")).isNull();
        assertThat(all.forRoute("a")).isSameAs(kept);
    }
}
