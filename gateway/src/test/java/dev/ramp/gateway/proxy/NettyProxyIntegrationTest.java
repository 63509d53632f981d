package dev.ramp.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.testing.RawHttp;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Every test of {@link ProxyIntegrationTest} again, on the Netty engine, and what only its decoder does. */
class NettyProxyIntegrationTest extends ProxyIntegrationTest {
    @Override
    String engine() {
        return "netty";
    }

    @Test
    void requestsAProxyMustNotRelayAre400JsonNamingTheProblem() throws Exception {
        startOneRoute("0%", "");
        String spaced = RawHttp.exchange(gateway.port(), "GET /headers HTTP/1.1\r\nHost: shop.test\r\n"
                + "X-User-Id : smuggled\r\n\r\n", 2000);
        assertThat(spaced).startsWith("HTTP/1.1 400").contains("\"error\":\"bad_request\"")
                .contains("invalid character 0x20 in header name");
        String both = RawHttp.exchange(gateway.port(), "POST /headers HTTP/1.1\r\nHost: shop.test\r\n"
                + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 2000);
        assertThat(both).startsWith("HTTP/1.1 400").contains("conflicting Content-Length");
        assertThat(stable.received).isEmpty();
    }

    @Test
    void headerBytesAbove0x7fReachTheUpstreamUnchanged() throws Exception {
        startOneRoute("0%", "");
        String resp = RawHttp.exchange(gateway.port(), "GET /headers HTTP/1.1\r\nHost: shop.test\r\n"
                + "X-Latin: caf\u00e9\r\nConnection: close\r\n\r\n", 2000);
        assertThat(resp).startsWith("HTTP/1.1 200");
        String body = resp.substring(resp.indexOf("\r\n\r\n") + 4);
        // The test upstream reads header bytes as ISO-8859-1 and answers JSON in UTF-8.
        JsonObject seen = new JsonObject(new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
        assertThat(seen.getString("x-latin")).isEqualTo("caf\u00e9");
    }
}
