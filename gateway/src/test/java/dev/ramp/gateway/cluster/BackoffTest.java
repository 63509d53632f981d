package dev.ramp.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void waitsDoubleFromOneHundredMillisecondsUpToTheMaximum() {
        Backoff b = new Backoff(Duration.ofSeconds(1));
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            waits.add(b.nextDelayMillis());
        }
        assertThat(waits).containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L, 1000L);
        assertThat(b.failures()).isEqualTo(7);
    }

    @Test
    void aSuccessStartsTheNextOutageFromTheFirstWait() {
        Backoff b = new Backoff(Duration.ofSeconds(10));
        b.nextDelayMillis();
        b.nextDelayMillis();
        b.reset();
        assertThat(b.failures()).isZero();
        assertThat(b.nextDelayMillis()).isEqualTo(100L);
    }
}
