package dev.ramp.gateway.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class OutcomeTest {

    @ParameterizedTest
    @CsvSource({
            "101, SUCCESS_2XX", "200, SUCCESS_2XX", "299, SUCCESS_2XX",
            "300, REDIRECT_3XX", "304, REDIRECT_3XX",
            "400, CLIENT_4XX", "404, CLIENT_4XX", "499, CLIENT_4XX",
            "500, SERVER_5XX", "503, SERVER_5XX", "599, SERVER_5XX", "600, SERVER_5XX"})
    void statusMapsToItsClass(int status, Outcome expected) {
        assertThat(Outcome.ofStatus(status)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 99, 1000})
    void nonThreeDigitStatusIsRefused(int status) {
        assertThatThrownBy(() -> Outcome.ofStatus(status))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("status: " + status + " (expected: 100..999)");
    }

    @Test
    void serverSideFailuresAreErrorsButClientErrorsAreNot() {
        assertThat(Outcome.values()).filteredOn(Outcome::isError).containsExactlyInAnyOrder(
                Outcome.SERVER_5XX, Outcome.CONNECT_ERROR, Outcome.TIMEOUT, Outcome.RESET);
    }

    @Test
    void tagsAreTheMetricOutcomeValues() {
        assertThat(Outcome.values()).extracting(Outcome::tag).containsExactly(
                "2xx", "3xx", "4xx", "5xx", "connect_error", "timeout", "reset");
        assertThat(Role.values()).extracting(Role::tag).containsExactly("stable", "canary");
    }

    @Test
    void revertReasonsRoundTripThroughTheirTags() {
        for (RevertReason reason : RevertReason.values()) {
            assertThat(RevertReason.ofTag(reason.tag())).isSameAs(reason);
        }
        assertThat(RevertReason.P99.tag()).isEqualTo("p99");
        assertThatThrownBy(() -> RevertReason.ofTag("bogus")).isInstanceOf(IllegalArgumentException.class)
                                                             .hasMessageStartingWith("reason: bogus (expected: ");
    }
}
