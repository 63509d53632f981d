package dev.ramp.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The W3C Trace Context rules of {@link TraceParent}, from the specification's own examples and its edge cases. */
class TraceParentTest {
    static final String CLIENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void aValidHeaderKeepsItsTraceIdAndFlagsAndGetsANewParentId() {
        String next = TraceParent.next(CLIENT);
        assertThat(next).hasSize(55).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-").endsWith("-01");
        assertThat(next.substring(36, 52)).matches("[0-9a-f]{16}").isNotEqualTo("00f067aa0ba902b7");
        assertThat(TraceParent.valid(next)).isTrue();
        assertThat(TraceParent.next("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")).endsWith("-00");
    }

    @Test
    void anAbsentHeaderStartsASampledTraceWithFreshIds() {
        Set<String> traces = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String t = TraceParent.next(null);
            assertThat(t).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
            assertThat(TraceParent.valid(t)).isTrue();
            traces.add(TraceParent.traceId(t));
        }
        assertThat(traces).hasSize(1000);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",          // no flags
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",       // all-zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",       // all-zero parent id
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",       // uppercase
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",       // version ff is forbidden
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra", // version 00 has nothing after
        "0g-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",       // not hex
        "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",       // wrong separator
        "00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01",       // misplaced dash
    })
    void malformedHeadersAreNotContinued(String header) {
        assertThat(TraceParent.valid(header)).isFalse();
        assertThat(TraceParent.next(header)).doesNotContain("4bf92f3577b34da6a3ce929d0e0e4736").endsWith("-01");
    }

    @Test
    void aHigherVersionIsReadAtVersionZeroPositionsAndPassedOnAsVersionZero() {
        String future = "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-will-be";
        assertThat(TraceParent.valid(future)).isTrue();
        assertThat(TraceParent.next(future)).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-").hasSize(55);
        assertThat(TraceParent.valid("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01.x")).isFalse();
    }
}
