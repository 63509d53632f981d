package dev.ramp.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** One line per key per period; the events in between are counted into the next line. */
class LogLimiterTest {
    private static final long S = 1_000_000_000L;

    @Test
    void theFirstEventIsWrittenTheRestOfThePeriodCountedAndReportedWithTheNextLine() {
        LogLimiter limiter = new LogLimiter(Duration.ofSeconds(10));
        long t0 = -5 * S; // any nanoTime origin, negative included
        assertThat(limiter.admit("shop", t0)).isZero();
        for (int i = 1; i <= 500; i++) {
            assertThat(limiter.admit("shop", t0 + i * 10_000_000L)).isEqualTo(-1);
        }
        assertThat(limiter.admit("api", t0 + S)).as("each route has its own budget").isZero();
        assertThat(limiter.admit("shop", t0 + 10 * S)).isEqualTo(500);
        assertThat(limiter.admit("shop", t0 + 11 * S)).isEqualTo(-1);
        assertThat(limiter.admit("shop", t0 + 20 * S)).isEqualTo(1);
        assertThat(limiter.admit("shop", t0 + 40 * S)).isZero();
    }
}
