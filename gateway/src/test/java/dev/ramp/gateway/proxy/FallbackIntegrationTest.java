package dev.ramp.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.testing.RecordingObserver;
import dev.ramp.gateway.testing.TestConfigs;
import dev.ramp.gateway.testing.TestUpstream;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fallback to stable and the canary circuit breaker, with real sockets. Exactly-once is proven by counting
 * what each upstream received, not only by client statuses.
 */
class FallbackIntegrationTest {
    @TempDir
    Path dir;

    Vertx vertx;
    TestUpstream stable;
    TestUpstream canary;
    Gateway gateway;
    final RecordingObserver observed = new RecordingObserver();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void upstreams() {
        vertx = Vertx.vertx();
        stable = TestUpstream.start(vertx, "stable");
        canary = TestUpstream.start(vertx, "canary");
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.shutdown(Duration.ofSeconds(1));
        }
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    void start(int canaryPort, String routeExtra) throws Exception {
        String routes = TestConfigs.route("shop", stable.port, canaryPort, "100%",
                "expose-version-header = true\n" + routeExtra);
        gateway = Gateway.start(TestConfigs.load(dir, TestConfigs.gateway(dir, routes, "")), observed);
    }

    /** Breaker and guard off, so each test sees the fallback path itself, request by request. */
    static final String NO_BREAKER = "circuit-breaker { enabled = false }\nguard { enabled = false }";

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + gateway.port() + path);
    }

    private List<HttpResponse<String>> concurrentGets(int n) throws Exception {
        List<CompletableFuture<HttpResponse<String>>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            fs.add(http.sendAsync(HttpRequest.newBuilder(uri("/get/" + i)).header("X-User-Id", "u" + i).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> out = new ArrayList<>();
        for (var f : fs) {
            out.add(f.get(20, TimeUnit.SECONDS));
        }
        return out;
    }

    HttpResponse<String> send(String method, String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void aCanaryRefusingConnectionsCostsNoClientAnError() throws Exception {
        start(1, NO_BREAKER);
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger("dev.ramp.gateway.proxy.netty.Exchange");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
                new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        List<HttpResponse<String>> rs;
        try {
            rs = concurrentGets(200);
        } finally {
            logger.detachAppender(lines);
        }
        assertThat(lines.list.stream().filter(e -> e.getFormattedMessage().contains("fell back to stable")))
                .as("200 fallbacks within 10 s are at most one WARN line, not a flood").hasSizeLessThanOrEqualTo(1);
        assertThat(rs).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Ramp-Version")).hasValue("stable");
        });
        assertThat(stable.received).hasSize(200);
        assertThat(observed.count("canary/connect_error")).isEqualTo(200);
        assertThat(observed.count("fallback/connect_error")).isEqualTo(200);
    }

    @Test
    void aCanaryResettingGetsCostsNoClientAnErrorAndEachUpstreamSeesEachRequestOnce() throws Exception {
        canary.fault = "reset";
        start(canary.port, NO_BREAKER);
        List<HttpResponse<String>> rs = concurrentGets(100);
        assertThat(rs).extracting(HttpResponse::statusCode).containsOnly(200);
        assertThat(canary.received).hasSize(100);
        assertThat(stable.received).hasSize(100);
        assertThat(stable.received).extracting(TestUpstream.Received::path).doesNotHaveDuplicates();
        assertThat(observed.count("canary/reset")).isEqualTo(100);
        assertThat(observed.count("fallback/reset")).isEqualTo(100);
    }

    @Test
    void aCanaryAnswering503CostsNoClientAnError() throws Exception {
        canary.fault = "status";
        start(canary.port, NO_BREAKER);
        List<HttpResponse<String>> rs = concurrentGets(100);
        assertThat(rs).extracting(HttpResponse::statusCode).containsOnly(200);
        assertThat(rs).allSatisfy(r -> assertThat(r.body()).contains("\"name\":\"stable\""));
        assertThat(canary.received).hasSize(100);
        assertThat(stable.received).hasSize(100);
        assertThat(observed.count("canary/5xx")).isEqualTo(100);
        assertThat(observed.count("fallback/status_503")).isEqualTo(100);
        assertThat(observed.count("client/stable/200")).isEqualTo(100);
    }

    @Test
    void aPostToARefusedCanaryReachesStableExactlyOnceWithTheSameBytes() throws Exception {
        start(1, NO_BREAKER);
        byte[] body = bytes(4096, 1);
        HttpResponse<String> r = send("POST", "/orders", body);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(stable.received).hasSize(1);
        assertThat(stable.received.get(0).method()).isEqualTo("POST");
        assertThat(stable.received.get(0).body()).isEqualTo(body);
    }

    @Test
    void aPostAnswered503ByTheCanaryIsNeverReplayed() throws Exception {
        canary.fault = "status";
        start(canary.port, NO_BREAKER);
        HttpResponse<String> r = send("POST", "/orders", bytes(4096, 2));
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("\"name\":\"canary\"");
        assertThat(canary.received).hasSize(1);
        assertThat(stable.received).isEmpty();
    }

    @Test
    void aPostResetByTheCanaryIs502AndNeverReplayed() throws Exception {
        canary.fault = "reset";
        start(canary.port, NO_BREAKER);
        HttpResponse<String> r = send("POST", "/orders", bytes(4096, 3));
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("upstream_unavailable");
        assertThat(stable.received).isEmpty();
    }

    @Test
    void aPostWithAnIdempotencyKeyOrAPutIsReplayedWithTheSameBytes() throws Exception {
        canary.fault = "status";
        start(canary.port, NO_BREAKER);
        byte[] body = bytes(4096, 4);
        assertThat(send("POST", "/pay", body, "Idempotency-Key", "k-1").statusCode()).isEqualTo(200);
        assertThat(send("PUT", "/item/1", body).statusCode()).isEqualTo(200);
        assertThat(stable.received).hasSize(2);
        assertThat(stable.received).allSatisfy(rec -> assertThat(rec.body()).isEqualTo(body));
        assertThat(stable.received.get(0).headers().get("idempotency-key")).isEqualTo("k-1");
        assertThat(canary.received).hasSize(2);
    }

    @Test
    void aBodyOverTheReplayLimitIsNotReplayed() throws Exception {
        canary.fault = "status";
        start(canary.port, NO_BREAKER);
        byte[] mib = bytes(1024 * 1024, 5);
        HttpResponse<String> sized = send("POST", "/upload", mib, "Idempotency-Key", "k-2");
        assertThat(sized.statusCode()).isEqualTo(503);
        // The same without a Content-Length: the limit is found while streaming.
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(uri("/upload"))
                .header("Idempotency-Key", "k-3")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(mib))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(503);
        assertThat(canary.received).extracting(TestUpstream.Received::bodyBytes)
                .containsExactly((long) mib.length, (long) mib.length);
        assertThat(stable.received).isEmpty();
    }

    @Test
    void aHangingCanaryIsAbandonedAtTheResponseTimeoutAndTheGetServedByStable() throws Exception {
        canary.fault = "hang";
        start(canary.port, NO_BREAKER + "\ntimeouts { response = 300ms }");
        HttpResponse<String> r = send("GET", "/slow", new byte[0]);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-Ramp-Version")).hasValue("stable");
        assertThat(observed.count("canary/timeout")).isEqualTo(1);
        assertThat(observed.count("fallback/timeout")).isEqualTo(1);
    }

    @Test
    void stableFailingToo502sWithAClearJsonError() throws Exception {
        stable.close();
        start(1, NO_BREAKER);
        HttpResponse<String> r = send("GET", "/x", new byte[0]);
        assertThat(r.statusCode()).isEqualTo(502);
        JsonObject json = new JsonObject(r.body());
        assertThat(json.getString("error")).isEqualTo("upstream_unavailable");
        assertThat(json.getString("message")).contains("stable upstream");
        assertThat(observed.count("canary/connect_error")).isEqualTo(1);
        assertThat(observed.count("stable/connect_error")).isEqualTo(1);
    }

    @Test
    void fallbackDisabledGivesTheClientTheCanarysFailure() throws Exception {
        canary.fault = "status";
        start(canary.port, NO_BREAKER + "\nfallback { enabled = false }");
        assertThat(send("GET", "/x", new byte[0]).statusCode()).isEqualTo(503);
        assertThat(stable.received).isEmpty();
    }

    @Test
    void theBreakerOpensSkipsTheCanaryAndLaterCloses() throws Exception {
        canary.fault = "status";
        start(canary.port, "circuit-breaker { minimum-calls = 5, window = 10s, open-for = 1s, half-open-calls = 2 }\n"
                           + "guard { enabled = false }");
        CircuitBreaker breaker = gateway.snapshot().route("shop").canaryBreaker();
        for (int i = 0; i < 5; i++) {
            assertThat(send("GET", "/a" + i, new byte[0]).statusCode()).isEqualTo(200);
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        int canarySeen = canary.received.size();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = send("GET", "/b" + i, new byte[0]);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Ramp-Version")).hasValue("stable");
        }
        assertThat(canary.received).hasSize(canarySeen);
        assertThat(observed.count("fallback/circuit_open")).isEqualTo(20);

        canary.fault = "ok";
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            send("GET", "/c", new byte[0]);
            assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        });
        HttpResponse<String> r = send("GET", "/d", new byte[0]);
        assertThat(r.headers().firstValue("X-Ramp-Version")).hasValue("canary");
    }

    @Test
    void aResponseThatFailsAfterItsHeadClosesTheClientConnection() throws Exception {
        NetServer truncating = vertx.createNetServer().connectHandler(sock -> sock.handler(b ->
                sock.write(Buffer.buffer("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789"))
                        .onComplete(v -> vertx.setTimer(50, t -> sock.close())))).listen(0, "127.0.0.1").await();
        start(truncating.actualPort(), NO_BREAKER);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> send("GET", "/t", new byte[0]))
                .isInstanceOf(IOException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> observed.count("canary/reset") == 1);
        assertThat(stable.received).isEmpty();
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
