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
        FallbackPolicy p = FallbackPolicy.forCanary(ON, "POST", false, "10");
        assertThat(p.keepsBody()).isFalse();
        assertThat(p.retriesOnFailure(true, false)).isTrue();
        assertThat(p.retriesOnFailure(false, true)).isFalse(); // a POST that reached the canary is not replayed
    }

    @Test
    void anIdempotentRequestIsReplayedOnlyOnceItsBodyEndedAndFitsTheLimit() {
        FallbackPolicy p = FallbackPolicy.forCanary(ON, "PUT", false, null);
        assertThat(p.keepsBody()).isTrue();
        assertThat(p.keep(1000)).isTrue();
        assertThat(p.retriesOnFailure(false, false)).isFalse(); // body still streaming
        assertThat(p.retriesOnFailure(false, true)).isTrue();
        assertThat(p.keep(25)).isFalse(); // 1025 > 1024: the copy is given up
        assertThat(p.keepsBody()).isFalse();
        assertThat(p.retriesOnFailure(false, true)).isFalse();
        assertThat(p.retriesOnFailure(true, true)).isTrue();
    }

    @Test
    void anIdempotencyKeyMakesAPostReplayable() {
        assertThat(FallbackPolicy.forCanary(ON, "POST", true, "5").retriesOnFailure(false, true)).isTrue();
        assertThat(FallbackPolicy.forCanary(ON, "PATCH", false, "5").retriesOnFailure(false, true)).isFalse();
    }

    @Test
    void aDeclaredBodyOverTheLimitOrAnUnreadableLengthIsNeverReplayed() {
        assertThat(FallbackPolicy.forCanary(ON, "GET", false, "1025").keepsBody()).isFalse();
        assertThat(FallbackPolicy.forCanary(ON, "GET", false, " 1024 ").keepsBody()).isTrue();
        assertThat(FallbackPolicy.forCanary(ON, "GET", false, "12x").retriesOnFailure(false, true)).isFalse();
    }

    @Test
    void onlyListedStatusesAreRetriedAndOnlyWithTheWholeBody() {
        FallbackPolicy p = FallbackPolicy.forCanary(ON, "GET", false, null);
        assertThat(p.retriesOnStatus(503, true)).isTrue();
        assertThat(p.retriesOnStatus(500, true)).isFalse();
        assertThat(p.retriesOnStatus(503, false)).isFalse();
    }

    @Test
    void thereIsOneRetryAtMost() {
        FallbackPolicy p = FallbackPolicy.forCanary(ON, "GET", false, null);
        p.used();
        assertThat(p.available()).isFalse();
        assertThat(p.retriesOnFailure(true, true)).isFalse();
        assertThat(p.retriesOnStatus(503, true)).isFalse();
        assertThat(p.keepsBody()).isFalse();
    }

    @Test
    void disabledFallbackNeverRetries() {
        FallbackPolicy p = FallbackPolicy.forCanary(OFF, "GET", false, null);
        assertThat(p.retriesOnFailure(true, true)).isFalse();
        assertThat(p.retriesOnStatus(503, true)).isFalse();
        assertThat(p.keepsBody()).isFalse();
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
