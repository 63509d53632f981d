package dev.ramp.gateway.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class GuardThresholdsTest {

    private static final Duration S1 = Duration.ofSeconds(1);
    private static final Duration S30 = Duration.ofSeconds(30);
    private static final Duration S2 = Duration.ofSeconds(2);

    @Test
    void defaultsMatchTheDesign() {
        assertThat(GuardThresholds.defaults()).isEqualTo(new GuardThresholds(
                S1, S30, 20, 0.05, 0.02, S2, 0.5, 3, 10, 5, Duration.ofMillis(5), 0.001, Duration.ofHours(24)));
    }

    @Test
    void invalidValuesAreRefusedWithNameValueAndExpectation() {
        assertRefused(() -> new GuardThresholds(Duration.ZERO, S30, 20, 0.05, 0.02, S2, 0.5, 3, 10, 5, Duration.ofMillis(5), 0.001, Duration.ofHours(24)),
                      "evaluateEvery: PT0S (expected: > 0)");
        assertRefused(() -> new GuardThresholds(S1, Duration.ofSeconds(-1), 20, 0.05, 0.02, S2, 0.5, 3, 10, 5, Duration.ofMillis(5), 0.001, Duration.ofHours(24)),
                      "window: PT-1S (expected: > 0)");
        assertRefused(() -> new GuardThresholds(Duration.ofMinutes(1), S30, 20, 0.05, 0.02, S2, 0.5, 3, 10, 5, Duration.ofMillis(5), 0.001, Duration.ofHours(24)),
                      "evaluateEvery: PT1M (expected: <= window PT30S)");
        assertRefused(() -> new GuardThresholds(S1, S30, 0, 0.05, 0.02, S2, 0.5, 3, 10, 5, Duration.ofMillis(5), 0.001, Duration.ofHours(24)),
                      "minRequests: 0 (expected: >= 1)");
        assertRefused(() -> new GuardThresholds(S1, S30, 20, 5, 0.02, S2, 0.5, 3, 10, 5, Duration.ofMillis(5), 0.001, Duration.ofHours(24)),
                      "maxErrorRate: 5.0 (expected: 0..1)");
        assertRefused(() -> new GuardThresholds(S1, S30, 20, Double.NaN, 0.02, S2, 0.5, 3, 10, 5, Duration.ofMillis(5), 0.001, Duration.ofHours(24)),
                      "maxErrorRate: NaN (expected: 0..1)");
        assertRefused(() -> new GuardThresholds(S1, S30, 20, 0.05, -0.02, S2, 0.5, 3, 10, 5, Duration.ofMillis(5), 0.001, Duration.ofHours(24)),
                      "maxErrorRateIncrease: -0.02 (expected: 0..1)");
        assertRefused(() -> new GuardThresholds(S1, S30, 20, 0.05, 0.02, Duration.ofMinutes(2), 0.5, 3, 10, 5, Duration.ofMillis(5), 0.001, Duration.ofHours(24)),
                      "maxP99: PT2M (expected: > 0 and <= PT1M)");
        assertRefused(() -> new GuardThresholds(S1, S30, 20, 0.05, 0.02, S2, -0.5, 3, 10, 5, Duration.ofMillis(5), 0.001, Duration.ofHours(24)),
                      "maxLatencyIncrease: -0.5 (expected: >= 0, finite)");
        assertRefused(() -> new GuardThresholds(S1, S30, 20, 0.05, 0.02, S2, 0.5, 0, 10, 5, Duration.ofMillis(5), 0.001, Duration.ofHours(24)),
                      "breachesToRevert: 0 (expected: >= 1)");
        assertRefused(() -> new GuardThresholds(S1, S30, 20, 0.05, 0.02, S2, 0.5, 3, 0, 5, Duration.ofMillis(5), 0.001, Duration.ofHours(24)),
                      "consecutiveFailuresToRevert: 0 (expected: >= 1)");
        assertRefused(() -> new GuardThresholds(S1, S30, 20, 0.05, 0.02, S2, 0.5, 3, 10, 5, Duration.ofMillis(5), 1.0, Duration.ofHours(24)),
                      "falseRevertBudget: 1.0 (expected: > 0 and < 1)");
        assertThatThrownBy(() -> new GuardThresholds(S1, null, 20, 0.05, 0.02, S2, 0.5, 3, 10, 5, Duration.ofMillis(5), 0.001, Duration.ofHours(24)))
                .isInstanceOf(NullPointerException.class).hasMessage("window");
    }

    private static void assertRefused(Runnable construction, String message) {
        assertThatThrownBy(construction::run).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
