package dev.ramp.gateway.proxy.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.config.MirrorSettings;
import dev.ramp.gateway.config.Percent;
import dev.ramp.gateway.proxy.mirror.MirrorVerdict.State;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The dark-launch verdict over a route's windows, on an injected clock. */
class MirrorVerdictTest {
    static final MirrorSettings.Verdict V = new MirrorSettings.Verdict(Duration.ofMinutes(1), 20, Percent.parse("5%"),
            1.5);
    final AtomicLong now = new AtomicLong(TimeUnit.HOURS.toNanos(1));
    final MirrorStats stats = new MirrorStats(now::get);

    {
        stats.use(V.window(), "http://canary v2");
    }

    private void copies(int n, MirrorResult result, long stableMs, long canaryMs) {
        for (int i = 0; i < n; i++) {
            stats.tryStart(1000);
            stats.finished(result, null, TimeUnit.MILLISECONDS.toNanos(stableMs), TimeUnit.MILLISECONDS.toNanos(canaryMs));
        }
    }

    @Test
    void tooFewCopiesIsInsufficientData() {
        copies(19, MirrorResult.MATCH, 10, 10);
        MirrorVerdict v = stats.verdict(V);
        assertThat(v.state()).isEqualTo(State.INSUFFICIENT_DATA);
        assertThat(v.compared()).isEqualTo(19);
        assertThat(v.reason()).isEqualTo("19 of 20 copies compared in the last 1m");
    }

    @Test
    void everyKindOfDifferenceAndErrorsCountAsMismatches() {
        copies(96, MirrorResult.MATCH, 10, 10);
        copies(1, MirrorResult.HEADER_DIFF, 10, 10);
        copies(1, MirrorResult.BODY_DIFF, 10, 10);
        copies(1, MirrorResult.STATUS_DIFF, 10, 10);
        copies(1, MirrorResult.ERROR, 10, 10);
        MirrorVerdict v = stats.verdict(V);
        assertThat(v.mismatched()).isEqualTo(4);
        assertThat(v.mismatchRatio()).isEqualTo(0.04);
        assertThat(v.state()).isEqualTo(State.PASS);
        copies(2, MirrorResult.HEADER_DIFF, 10, 10);
        assertThat(stats.verdict(V).state()).as("6 of 102").isEqualTo(State.FAIL);
    }

    @Test
    void aMismatchRatioAboveTheMaximumFails() {
        copies(90, MirrorResult.MATCH, 10, 10);
        copies(4, MirrorResult.BODY_DIFF, 10, 10);
        copies(1, MirrorResult.ERROR, 10, 10);
        stats.tryStart(0); // dropped: not compared
        MirrorVerdict atLimit = stats.verdict(V);
        assertThat(atLimit.compared()).isEqualTo(95);
        assertThat(atLimit.mismatched()).isEqualTo(5);
        assertThat(atLimit.state()).as("5 of 95 is 5.26%").isEqualTo(State.FAIL);
        assertThat(atLimit.reason()).isEqualTo("5 of 95 copies differed or failed in the last 1m (5.26%, max 5%)");
        copies(5, MirrorResult.MATCH, 10, 10);
        assertThat(stats.verdict(V).state()).as("5 of 100 is at the limit").isEqualTo(State.PASS);
    }

    @Test
    void aSlowerCanaryFailsOnlyWhenMuchSlowerInBothRatioAndMilliseconds() {
        copies(50, MirrorResult.MATCH, 10, 20);
        MirrorVerdict slow = stats.verdict(V);
        assertThat(slow.state()).isEqualTo(State.FAIL);
        assertThat(slow.latencyRatio()).isBetween(1.95, 2.05);
        assertThat(slow.reason()).startsWith("canary p99 20.0 ms is 2.00x stable's 10.0 ms");

        MirrorStats fast = new MirrorStats(now::get);
        fast.use(V.window(), "c");
        for (int i = 0; i < 50; i++) {
            fast.tryStart(1000);
            fast.finished(MirrorResult.MATCH, null, 1_000_000, 3_000_000); // 3x, but only 2 ms slower
        }
        assertThat(fast.verdict(V).state()).isEqualTo(State.PASS);
    }

    @Test
    void copiesLeaveTheWindowAndANewCanaryStartsAgain() {
        copies(50, MirrorResult.BODY_DIFF, 10, 10);
        assertThat(stats.verdict(V).state()).isEqualTo(State.FAIL);
        now.addAndGet(TimeUnit.SECONDS.toNanos(61));
        assertThat(stats.verdict(V).compared()).isZero();

        copies(50, MirrorResult.BODY_DIFF, 10, 10);
        stats.use(V.window(), "http://canary v2"); // a reload of the same canary keeps the windows
        assertThat(stats.verdict(V).state()).isEqualTo(State.FAIL);
        stats.use(V.window(), "http://canary v3");
        assertThat(stats.verdict(V).state()).isEqualTo(State.INSUFFICIENT_DATA);
        assertThat(stats.count(MirrorResult.BODY_DIFF)).as("the counters go on").isEqualTo(100);
    }
}
