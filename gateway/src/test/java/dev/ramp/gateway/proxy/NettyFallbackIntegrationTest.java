package dev.ramp.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Every test of {@link FallbackIntegrationTest} again, on the Netty engine, and what only its pool does. */
class NettyFallbackIntegrationTest extends FallbackIntegrationTest {
    @Override
    String engine() {
        return "netty";
    }

    @Test
    void aDiscardedCanaryAnswerLeavesItsConnectionInThePool() throws Exception {
        canary.fault = "status"; // a small 503, read whole with its head
        start(canary.port, NO_BREAKER);
        for (int i = 0; i < 20; i++) {
            var r = send("GET", "/get/" + i, new byte[0], "X-User-Id", "u" + i);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"name\":\"stable\"");
        }
        assertThat(canary.received).hasSize(20);
        assertThat(stable.received).hasSize(20);
        // One request at a time: one connection to each upstream serves all twenty.
        assertThat(canary.connections.get()).isEqualTo(1);
        assertThat(stable.connections.get()).isEqualTo(1);
    }
}
