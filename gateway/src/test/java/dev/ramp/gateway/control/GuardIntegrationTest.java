package dev.ramp.gateway.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.admin.EventJson;
import dev.ramp.gateway.config.GatewayConfig;
import dev.ramp.gateway.demo.DemoUpstream;
import dev.ramp.gateway.testing.PacedLoad;
import dev.ramp.gateway.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guard with real upstreams through the real gateway: canaries that break are reverted by the gateway
 * itself, the revert is latched on disk and survives restarts and weight-only edits until a new canary or an
 * operator lifts it. Detection times are printed for the record, and asserted only
 * against the product's promises (2 s for a total failure, 15 s for +5 pp).
 */
class GuardIntegrationTest {
    @TempDir
    Path dir;

    Vertx vertx;
    DemoUpstream stable;
    DemoUpstream canary;
    int stablePort;
    int canaryPort;
    Gateway gateway;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void upstreams() throws Exception {
        vertx = Vertx.vertx();
        stable = new DemoUpstream("stable", "v1");
        canary = new DemoUpstream("canary", "v2");
        stablePort = stable.start(vertx, "127.0.0.1", 0).await(5, TimeUnit.SECONDS);
        canaryPort = canary.start(vertx, "127.0.0.1", 0).await(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.shutdown(Duration.ofSeconds(1));
        }
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    private GatewayConfig config(String weight, String canaryVersion, String routeExtra) {
        String route = TestConfigs.route("shop", stablePort, canaryPort, weight,
                "expose-version-header = true\nfallback { enabled = false }\ncircuit-breaker { enabled = false }\n"
                + routeExtra).replace("version = \"v2\"", "version = \"" + canaryVersion + "\"");
        return TestConfigs.load(dir, TestConfigs.gateway(dir, route, ""));
    }

    private Gateway start(GatewayConfig config) throws Exception {
        gateway = Gateway.start(config);
        return gateway;
    }

    private void fault(DemoUpstream upstream, String json) {
        upstream.fault(DemoUpstream.Fault.parse(new JsonObject(json)));
    }

    private String url() {
        return "http://127.0.0.1:" + gateway.port() + "/";
    }

    private JsonObject status() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort()
                + "/api/status")).build(), HttpResponse.BodyHandlers.ofString());
        return new JsonObject(r.body()).getJsonArray("routes").getJsonObject(0);
    }

    private HttpResponse<String> post(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + path))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private boolean reverted() {
        return gateway.snapshot().route("shop").reverted();
    }

    @Test
    void aCanaryAnswering500ToEverythingIsRevertedWithin2sAt150RequestsPerSecond() throws Exception {
        start(config("50%", "v2", ""));
        try (PacedLoad load = PacedLoad.start(url(), 150, Duration.ofSeconds(20))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> load.count("canary") > 100);
            long flip = System.nanoTime();
            fault(canary, "{\"mode\":\"status\",\"status\":500}");
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(this::reverted);
            long revertedMs = (System.nanoTime() - flip) / 1_000_000;
            Thread.sleep(300); // answers in flight at the revert come back
            long lastCanaryMs = Math.max(0, (load.lastCanarySentNanos() - flip) / 1_000_000);
            System.out.printf("total failure: reverted %d ms after the flip; last request served by the canary was "
                              + "sent %d ms after it%n", revertedMs, lastCanaryMs);
            assertThat(revertedMs).isLessThanOrEqualTo(2_000);
            assertThat(lastCanaryMs).isLessThanOrEqualTo(2_000);
        }
        JsonObject s = status();
        assertThat(s.getString("state")).isEqualTo("reverted");
        assertThat(s.getString("effectiveWeight")).isEqualTo("0%");
        assertThat(s.getJsonObject("latch").getString("reason")).isEqualTo("consecutive_failures");
        await().atMost(Duration.ofSeconds(2)).until(() -> Files.exists(dir.resolve("state").resolve("shop.json")));
        assertThat(EventJson.entries(gateway.events().entries()).encode()).contains("\"type\":\"revert\"");
        assertThat(gateway.metrics().scrape()).containsPattern(
                "ramp_reverts_total\\{reason=\"consecutive_failures\",route=\"shop\"} 1\\.0");
    }

    @Test
    void aFivePointErrorRateIncreaseOverAOnePercentBaselineIsRevertedWithin15s() throws Exception {
        // The canary at 20 % of 500 req/s: 100 canary requests a second. A healthy canary first, then a new
        // canary version with 5 points more errors is deployed (a reload), as a bad release reaches a route.
        fault(stable, "{\"mode\":\"status\",\"status\":500,\"rate\":0.01}");
        fault(canary, "{\"mode\":\"status\",\"status\":500,\"rate\":0.01}");
        start(config("20%", "v2", ""));
        try (PacedLoad load = PacedLoad.start(url(), 500, Duration.ofSeconds(40))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> load.count("canary") > 300);
            assertThat(reverted()).as("a healthy canary with the same 1%% noise").isFalse();
            fault(canary, "{\"mode\":\"status\",\"status\":500,\"rate\":0.06}");
            long deployed = System.nanoTime();
            gateway.reload(config("20%", "v3", ""));
            await().atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofMillis(50)).until(this::reverted);
            long ms = (System.nanoTime() - deployed) / 1_000_000;
            System.out.printf("+5 pp error rate: reverted %d ms after the bad canary was deployed%n", ms);
            assertThat(ms).isLessThanOrEqualTo(15_000);
        }
        assertThat(status().getJsonObject("latch").getString("reason")).isIn("error_rate_increase", "error_rate");
    }

    @Test
    void aCanary100msSlowerAtP95IsReverted() throws Exception {
        start(config("50%", "v2", ""));
        try (PacedLoad load = PacedLoad.start(url(), 150, Duration.ofSeconds(30))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> load.count("canary") > 100);
            long flip = System.nanoTime();
            fault(canary, "{\"mode\":\"ok\",\"delayMs\":100}");
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(this::reverted);
            System.out.printf("+100 ms p95: reverted %d ms after the flip%n", (System.nanoTime() - flip) / 1_000_000);
        }
        JsonObject latch = status().getJsonObject("latch");
        assertThat(latch.getString("reason")).isEqualTo("latency_increase");
        assertThat(latch.getJsonObject("evidence").encode()).contains("p95Ms");
    }

    @Test
    void aHealthyCanaryUnderLoadIsNotReverted() throws Exception {
        start(config("50%", "v2", ""));
        try (PacedLoad load = PacedLoad.start(url(), 150, Duration.ofSeconds(6))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> load.answers.size() >= 850);
        }
        assertThat(reverted()).isFalse();
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
            JsonObject window = status().getJsonObject("window");
            assertThat(window.getJsonObject("canary").getLong("requests")).isGreaterThan(100);
            assertThat(window.getJsonObject("stable").getLong("requests")).isGreaterThan(100);
        });
        assertThat(status().getString("state")).isEqualTo("healthy");
    }

    @Test
    void theLatchSurvivesARestartAndAWeightOnlyEditAndIsLiftedByANewCanaryVersion() throws Exception {
        start(config("30%", "v2", ""));
        assertThat(post("/api/routes/shop/revert", "test-token").statusCode()).isEqualTo(200);
        assertThat(reverted()).isTrue();
        JsonObject latchFile = new JsonObject(Files.readString(dir.resolve("state").resolve("shop.json")));
        assertThat(latchFile.getString("reason")).isEqualTo("manual");
        assertThat(latchFile.getString("canaryVersion")).isEqualTo("v2");

        gateway.shutdown(Duration.ofSeconds(1));
        start(config("30%", "v2", ""));
        assertThat(reverted()).as("after a restart").isTrue();
        JsonObject s = status();
        assertThat(s.getString("state")).isEqualTo("reverted");
        assertThat(s.getJsonObject("latch").getString("lift")).contains("resume").contains("new canary");
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url())).header("X-User-Id", "u" + i)
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.headers().firstValue("X-Ramp-Version")).hasValue("stable");
        }

        gateway.reload(config("60%", "v2", ""));
        assertThat(reverted()).as("after a weight-only edit").isTrue();
        assertThat(status().getString("configuredWeight")).isEqualTo("60%");
        assertThat(status().getString("effectiveWeight")).isEqualTo("0%");

        gateway.reload(config("60%", "v3", ""));
        assertThat(reverted()).as("after a new canary version").isFalse();
        await().atMost(Duration.ofSeconds(2)).until(() -> !Files.exists(dir.resolve("state").resolve("shop.json")));
        assertThat(status().getString("effectiveWeight")).isEqualTo("60%");
        assertThat(EventJson.entries(gateway.events().entries()).encode()).contains("new_canary");
    }

    @Test
    void resumeLiftsTheLatchAndPostsNeedTheToken() throws Exception {
        start(config("30%", "v2", ""));
        assertThat(post("/api/routes/shop/revert", null).statusCode()).isEqualTo(401);
        assertThat(post("/api/routes/shop/revert", "wrong").statusCode()).isEqualTo(401);
        assertThat(reverted()).isFalse();
        assertThat(post("/api/routes/shop/revert", "test-token").statusCode()).isEqualTo(200);
        assertThat(Files.exists(dir.resolve("state").resolve("shop.json"))).isTrue();
        HttpResponse<String> resumed = post("/api/routes/shop/resume", "test-token");
        assertThat(resumed.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(resumed.body()).getString("effectiveWeight")).isEqualTo("30%");
        assertThat(reverted()).isFalse();
        assertThat(Files.exists(dir.resolve("state").resolve("shop.json"))).isFalse();
        gateway.shutdown(Duration.ofSeconds(1));
        start(config("30%", "v2", ""));
        assertThat(reverted()).as("resumed stays resumed after a restart").isFalse();
        assertThat(post("/api/routes/nope/revert", "test-token").statusCode()).isEqualTo(404);
    }

    @Test
    void aCorruptLatchKeepsTheRouteRevertedAndIsReported() throws Exception {
        Files.createDirectories(dir.resolve("state"));
        Files.writeString(dir.resolve("state").resolve("shop.json"), "{not json");
        start(config("30%", "v2", ""));
        assertThat(reverted()).isTrue();
        JsonObject latch = status().getJsonObject("latch");
        assertThat(latch.getBoolean("corrupt")).isTrue();
        assertThat(latch.getString("problem")).isNotBlank();
        assertThat(EventJson.entries(gateway.events().entries()).encode()).contains("latch_corrupt");
        assertThat(post("/api/routes/shop/resume", "test-token").statusCode()).isEqualTo(200);
        assertThat(reverted()).isFalse();
    }

    @Test
    void aRevertedRouteStillReachesTheCanaryWithTheTrustedOverride() throws Exception {
        start(config("100%", "v2", ""));
        assertThat(post("/api/routes/shop/revert", "test-token").statusCode()).isEqualTo(200);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url())).header("X-Ramp-Version", "canary")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).contains("\"version\":\"canary\"");
    }
}
