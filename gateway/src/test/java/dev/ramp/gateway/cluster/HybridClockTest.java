package dev.ramp.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class HybridClockTest {
    final Instant start = Instant.parse("2026-12-02T12:00:00Z");

    @Test
    void stampsFollowTheWallClockAndNeverRepeat() {
        HybridClock hlc = new HybridClock(Clock.fixed(start, ZoneOffset.UTC));
        long first = hlc.next();
        assertThat(first).isEqualTo(start.toEpochMilli());
        assertThat(hlc.next()).isEqualTo(first + 1); // the same millisecond: still later
    }

    @Test
    void aChangeMadeAfterSeeingAnotherReplicasIsLaterThanItEvenWithThisClockBehind() {
        HybridClock behind = new HybridClock(Clock.fixed(start, ZoneOffset.UTC));
        long seen = start.plus(Duration.ofMinutes(5)).toEpochMilli(); // the other replica's clock is 5 min ahead
        behind.observe(seen);
        assertThat(behind.next()).isGreaterThan(seen);
    }

    @Test
    void observingAnOlderStampDoesNotMoveTheClockBack() {
        HybridClock hlc = new HybridClock(Clock.fixed(start, ZoneOffset.UTC));
        hlc.observe(start.minusSeconds(60).toEpochMilli());
        assertThat(hlc.next()).isEqualTo(start.toEpochMilli());
    }
}
