package dev.ramp.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.testing.RawHttp;
import dev.ramp.gateway.testing.RawUpstream;
import dev.ramp.gateway.testing.TestConfigs;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upstreams that frame their answers wrongly: never reused, and an unrequested 101 is a 502. */
class SloppyUpstreamTest {
    @TempDir
    Path dir;
    private RawUpstream upstream;
    private Gateway gateway;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.shutdown(Duration.ofSeconds(1));
        }
        upstream.close();
    }

    /** Starts an upstream that answers every request with {@code answer}, and a gateway in front of it. */
    private void start(String answer) throws Exception {
        upstream = RawUpstream.answering(answer);
        int port = upstream.port();
        gateway = Gateway.start(TestConfigs.load(dir, TestConfigs.gateway(dir, TestConfigs.route("shop", port, port,
                "0%", "circuit-breaker { enabled = false }\nguard { enabled = false }"), "")
                .replace("event-loops = 2", "event-loops = 1")));
    }

    private String get(String path) throws IOException {
        return RawHttp.exchange(gateway.port(), "GET " + path + " HTTP/1.1\r\nHost: shop\r\nConnection: close\r\n\r\n",
                5000);
    }

    @Test
    void aResponseWithBothContentLengthAndChunkedIsReadChunkedAndItsConnectionIsNeverReused() throws Exception {
        start("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
        assertThat(get("/a")).startsWith("HTTP/1.1 200").endsWith("hello\r\n0\r\n\r\n").doesNotContain("Content-Length");
        assertThat(get("/b")).startsWith("HTTP/1.1 200").contains("hello");
        assertThat(upstream.connections()).as("each request on a fresh upstream connection").isEqualTo(2);
    }

    @Test
    void aSoundResponseKeepsItsConnectionPooled() throws Exception {
        start("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        assertThat(get("/a")).endsWith("ok");
        assertThat(get("/b")).endsWith("ok");
        assertThat(upstream.connections()).as("the pool works, so the test above can fail").isEqualTo(1);
    }

    @Test
    void anUnrequested101IsA502() throws Exception {
        start("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n");
        assertThat(get("/a")).startsWith("HTTP/1.1 502").contains("101 Switching Protocols");
    }

    @Test
    void aResponseCutAfterItsHeadReachesTheClientCutAndIsNeverRetried() throws Exception {
        java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        upstream = RawUpstream.start(s -> {
            if (RawUpstream.readHead(s.getInputStream()) != null) {
                requests.incrementAndGet();
                s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc".getBytes());
                s.getOutputStream().flush();
            }
        });
        int port = upstream.port();
        gateway = Gateway.start(TestConfigs.load(dir, TestConfigs.gateway(dir, TestConfigs.route("shop", port, port,
                "0%", "circuit-breaker { enabled = false }\nguard { enabled = false }"), "")));
        String got = RawHttp.exchange(gateway.port(), "GET /a HTTP/1.1\r\nHost: shop\r\n\r\n", 5000);
        assertThat(got).as("the head and the bytes that came, then the cut: never a 502 after a 200")
                .startsWith("HTTP/1.1 200").contains("Content-Length: 100").endsWith("\r\n\r\nabc");
        assertThat(requests).hasValue(1);
    }
}
