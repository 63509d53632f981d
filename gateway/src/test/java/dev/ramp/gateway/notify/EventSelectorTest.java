package dev.ramp.gateway.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class EventSelectorTest {

    @Test
    void namedTypesSelectThemselvesOnly() {
        assertThat(EventSelector.selects(Set.of("revert"), "revert")).isTrue();
        assertThat(EventSelector.selects(Set.of("revert"), "resume")).isFalse();
        assertThat(EventSelector.selects(Set.of("reload_failed"), "reload_failed")).isTrue();
        assertThat(EventSelector.selects(Set.of("reload_failed"), "reload")).isFalse();
    }

    @Test
    void rolloutSelectsEveryRolloutStepAndReadyToPromoteOnlyThatOne() {
        assertThat(EventSelector.selects(Set.of("rollout"), "rollout_step")).isTrue();
        assertThat(EventSelector.selects(Set.of("rollout"), "rollout_ready_to_promote")).isTrue();
        assertThat(EventSelector.selects(Set.of("ready_to_promote"), "rollout_ready_to_promote")).isTrue();
        assertThat(EventSelector.selects(Set.of("ready_to_promote"), "rollout_step")).isFalse();
        assertThat(EventSelector.selects(Set.of("ready_to_promote"), "revert")).isFalse();
    }

    @Test
    void allSelectsEverything() {
        assertThat(EventSelector.selects(Set.of("all"), "tls_reload")).isTrue();
        assertThat(EventSelector.selects(Set.of("all"), "rollout_paused")).isTrue();
    }
}
