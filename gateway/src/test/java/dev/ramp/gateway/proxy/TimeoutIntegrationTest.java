package dev.ramp.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.testing.RecordingObserver;
import dev.ramp.gateway.testing.TestConfigs;
import dev.ramp.gateway.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-route upstream timeouts: connect, and idle once a response streams. */
class TimeoutIntegrationTest {
    @TempDir
    Path dir;

    Vertx vertx;
    TestUpstream canary;
    Gateway gateway;
    final RecordingObserver observed = new RecordingObserver();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void upstreams() {
        vertx = Vertx.vertx();
        canary = TestUpstream.start(vertx, "canary");
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.shutdown(Duration.ofSeconds(1));
        }
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anUpstreamThatCannotBeConnectedToInTimeIs504() throws Exception {
        // A listener that never accepts, with its accept queue full: further connects hang in SYN-SENT.
        try (ServerSocket full = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            List<SocketChannel> fillers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                SocketChannel c = SocketChannel.open();
                c.configureBlocking(false);
                c.connect(new InetSocketAddress("127.0.0.1", full.getLocalPort()));
                fillers.add(c);
            }
            gateway = Gateway.start(TestConfigs.load(dir, TestConfigs.gateway(dir, TestConfigs.route("shop",
                    full.getLocalPort(), canary.port, "0%", "timeouts { connect = 300ms }"), "")), observed);
            long start = System.nanoTime();
            HttpResponse<String> r = get("/x");
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(r.statusCode()).isEqualTo(504);
            JsonObject body = new JsonObject(r.body());
            assertThat(body.getString("error")).isEqualTo("upstream_timeout");
            assertThat(body.getString("message")).contains("timed out after 300 ms");
            assertThat(ms).isLessThan(5_000);
            assertThat(observed.count("stable/connect_error")).isEqualTo(1);
            for (SocketChannel c : fillers) {
                c.close();
            }
        }
    }

    @Test
    void aResponseThatStallsMidBodyIsCutAtTheIdleTimeout() throws Exception {
        NetServer stalling = vertx.createNetServer().connectHandler(sock -> sock.handler(b ->
                sock.write(Buffer.buffer("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789"))))
                .listen(0, "127.0.0.1").await();
        gateway = Gateway.start(TestConfigs.load(dir, TestConfigs.gateway(dir, TestConfigs.route("shop",
                stalling.actualPort(), canary.port, "0%", "timeouts { idle = 300ms }"), "")), observed);
        assertThatThrownBy(() -> get("/stall")).isInstanceOf(IOException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> observed.count("stable/reset") == 1);
    }
}
