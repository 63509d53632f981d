package dev.ramp.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.config.Fallback;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fallback rules on plain values: which failed canary attempts may be retried on stable, and when not. */
class FallbackPolicyTest {
    private static final Fallback ON = new Fallback(true, Set.of(502, 503), 1024);
    private static final Fallback OFF = new Fallback(false, Set.of(502, 503), 1024);

    @Test
    void aConnectFailureFallsBackForAnyMethodBecauseNothingReachedTheCanary() {
        boolean replayable = FallbackPolicy.replayableHead(ON, "POST", false, "10");
        assertThat(replayable).isFalse();
        assertThat(FallbackPolicy.retriesOnFailure(ON, true, replayable, false)).isTrue();
        assertThat(FallbackPolicy.retriesOnFailure(ON, false, replayable, true)).isFalse(); // a POST that reached it
    }

    @Test
    void anIdempotentRequestIsReplayedOnlyOnceItsBodyEndedAndWhileItFitsTheLimit() {
        assertThat(FallbackPolicy.replayableHead(ON, "PUT", false, null)).isTrue();
        assertThat(FallbackPolicy.retriesOnFailure(ON, false, true, false)).isFalse(); // body still streaming
        assertThat(FallbackPolicy.retriesOnFailure(ON, false, true, true)).isTrue();
        assertThat(FallbackPolicy.fits(ON, 1000, 24)).isTrue();
        assertThat(FallbackPolicy.fits(ON, 1000, 25)).isFalse(); // 1025 > 1024: the copy is given up
        assertThat(FallbackPolicy.retriesOnFailure(ON, false, false, true)).isFalse();
    }

    @Test
    void anIdempotencyKeyMakesAPostReplayable() {
        assertThat(FallbackPolicy.replayableHead(ON, "POST", true, "5")).isTrue();
        assertThat(FallbackPolicy.replayableHead(ON, "PATCH", false, "5")).isFalse();
    }

    @Test
    void aDeclaredBodyOverTheLimitOrAnUnreadableLengthIsNeverReplayed() {
        assertThat(FallbackPolicy.replayableHead(ON, "GET", false, "1025")).isFalse();
        assertThat(FallbackPolicy.replayableHead(ON, "GET", false, " 1024 ")).isTrue();
        assertThat(FallbackPolicy.replayableHead(ON, "GET", false, "12x")).isFalse();
    }

    @Test
    void onlyListedStatusesAreRetriedAndOnlyWithTheWholeBody() {
        assertThat(FallbackPolicy.retriesOnStatus(ON, 503, true, true)).isTrue();
        assertThat(FallbackPolicy.retriesOnStatus(ON, 500, true, true)).isFalse();
        assertThat(FallbackPolicy.retriesOnStatus(ON, 503, true, false)).isFalse();
        assertThat(FallbackPolicy.retriesOnStatus(ON, 503, false, true)).isFalse();
    }

    @Test
    void disabledFallbackNeverRetries() {
        assertThat(FallbackPolicy.retriesOnFailure(OFF, true, true, true)).isFalse();
        assertThat(FallbackPolicy.retriesOnStatus(OFF, 503, true, true)).isFalse();
    }

    @Test
    void idempotentMethodsAreThoseOfRfc9110() {
        for (String m : new String[] {"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"}) {
            assertThat(FallbackPolicy.idempotentMethod(m)).as(m).isTrue();
        }
        for (String m : new String[] {"POST", "PATCH", "CONNECT", "get"}) {
            assertThat(FallbackPolicy.idempotentMethod(m)).as(m).isFalse();
        }
    }
}
