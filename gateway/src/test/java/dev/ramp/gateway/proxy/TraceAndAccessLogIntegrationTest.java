package dev.ramp.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.testing.PrometheusScrape;
import dev.ramp.gateway.testing.TestConfigs;
import dev.ramp.gateway.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trace context and the access log through the real gateway, with real upstreams that record the headers they
 * received: what the upstream saw is what the access log says.
 */
class TraceAndAccessLogIntegrationTest {
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    /** Requests from the JDK client name 127.0.0.1; other hosts get 404. */
    static final String MATCH = "match { hosts = [\"127.0.0.1\"] }";
    static final String CLIENT_TRACEPARENT = "00-" + TRACE + "-00f067aa0ba902b7-01";

    @TempDir
    Path dir;
    Vertx vertx;
    TestUpstream stable;
    TestUpstream canary;
    Gateway gateway;
    Path log;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        stable = TestUpstream.start(vertx, "stable");
        canary = TestUpstream.start(vertx, "canary");
        log = dir.resolve("logs/access.log");
        gateway = Gateway.start(TestConfigs.load(dir, TestConfigs.gateway(dir,
                TestConfigs.route("shop", stable.port, canary.port, "0%", MATCH),
                "access-log { enabled = true, path = \"" + log.toString().replace("\\", "/") + "\" }")));
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.shutdown(Duration.ofSeconds(1));
        }
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    List<JsonObject> lines() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log).stream().map(JsonObject::new).toList() : List.of();
    }

    Map<String, String> lastHeaders() {
        return stable.received.get(stable.received.size() - 1).headers();
    }

    @Test
    void aClientTraceGoesOnWithTheGatewayAsParentAndItsStateUnchanged() throws Exception {
        HttpResponse<String> r = get("/headers", "traceparent", CLIENT_TRACEPARENT, "tracestate", "congo=t61rcWkgMzE");
        assertThat(r.statusCode()).isEqualTo(200);
        String sent = lastHeaders().get("traceparent");
        assertThat(sent).startsWith("00-" + TRACE + "-").endsWith("-01").isNotEqualTo(CLIENT_TRACEPARENT);
        assertThat(TraceParent.valid(sent)).isTrue();
        assertThat(lastHeaders().get("tracestate")).isEqualTo("congo=t61rcWkgMzE");
        await().until(() -> lines().size() == 1);
        assertThat(lines().get(0).getString("traceId")).isEqualTo(TRACE);
    }

    @Test
    void aRequestWithoutATraceOrWithABrokenOneStartsANewTrace() throws Exception {
        get("/headers");
        String started = lastHeaders().get("traceparent");
        assertThat(started).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        get("/headers", "traceparent", "00-" + TRACE.toUpperCase() + "-00f067aa0ba902b7-01", "tracestate", "a=b");
        String restarted = lastHeaders().get("traceparent");
        assertThat(TraceParent.valid(restarted)).isTrue();
        assertThat(restarted).doesNotContainIgnoringCase(TRACE).isNotEqualTo(started);
        assertThat(lastHeaders()).doesNotContainKey("tracestate"); // it belonged to the broken parent
        await().until(() -> lines().size() == 2);
        assertThat(lines().get(0).getString("traceId")).isEqualTo(started.substring(3, 35));
        assertThat(lines().get(1).getString("traceId")).isEqualTo(restarted.substring(3, 35));
    }

    @Test
    void theAccessLogSaysWhatHappenedFieldByField() throws Exception {
        HttpResponse<String> ok = get("/blob?size=12345&secret=x", "traceparent", CLIENT_TRACEPARENT);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).hasSize(12345);
        assertThat(dev.ramp.gateway.testing.RawHttp.exchange(gateway.port(),
                "GET /nowhere HTTP/1.1\r\nHost: other.test\r\nConnection: close\r\n\r\n", 5000)).startsWith("HTTP/1.1 404");
        await().until(() -> lines().size() == 2);
        JsonObject a = lines().get(0);
        assertThat(a.getString("client")).isEqualTo("127.0.0.1");
        assertThat(a.getString("method")).isEqualTo("GET");
        assertThat(a.getString("path")).isEqualTo("/blob"); // the query (and what it may carry) is not logged
        assertThat(a.getInteger("status")).isEqualTo(200);
        assertThat(a.getString("route")).isEqualTo("shop");
        assertThat(a.getString("role")).isEqualTo("stable");
        assertThat(a.getString("version")).isEqualTo("v1");
        assertThat(a.getDouble("durationMs")).isPositive();
        assertThat(a.getDouble("upstreamMs")).isPositive().isLessThanOrEqualTo(a.getDouble("durationMs"));
        assertThat(a.getBoolean("fallback")).isFalse();
        assertThat(a.getString("traceId")).isEqualTo(TRACE);
        assertThat(a.getLong("bytesOut")).isEqualTo(12345);
        assertThat(java.time.Instant.parse(a.getString("time"))).isBetween(
                java.time.Instant.now().minusSeconds(60), java.time.Instant.now());
        JsonObject none = lines().get(1);
        assertThat(none.getInteger("status")).isEqualTo(404);
        assertThat(none.getValue("route")).isNull();
        assertThat(none.getValue("role")).isNull();
        assertThat(none.getValue("upstreamMs")).isNull();
        PrometheusScrape scrape = PrometheusScrape.parse(http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.adminPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(scrape.counter("ramp_access_log_dropped_total")).isEqualTo(0.0);
    }

    @Test
    void aCanaryServedByStableIsLoggedAsAFallback() throws Exception {
        gateway.shutdown(Duration.ofSeconds(1));
        gateway = Gateway.start(TestConfigs.load(dir, TestConfigs.gateway(dir,
                TestConfigs.route("shop", stable.port, canary.port, "100%",
                        MATCH + ", fallback { enabled = true }"),
                "access-log { enabled = true, path = \"" + log.toString().replace("\\", "/") + "\" }")));
        canary.fault = "status";
        canary.faultStatus = 503;
        assertThat(get("/x").statusCode()).isEqualTo(200);
        await().until(() -> !lines().isEmpty());
        JsonObject a = lines().get(lines().size() - 1);
        assertThat(a.getBoolean("fallback")).isTrue();
        assertThat(a.getString("role")).isEqualTo("stable");
        assertThat(a.getInteger("status")).isEqualTo(200);
    }
}
