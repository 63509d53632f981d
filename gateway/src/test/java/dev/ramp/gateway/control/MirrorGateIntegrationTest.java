package dev.ramp.gateway.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.config.GatewayConfig;
import dev.ramp.gateway.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rollout gated on the dark launch through the real gateway, with real stable and canary upstreams: a canary
 * whose answers differ keeps the plan at 0 % in waiting_gate (no user reaches it, copies do), and a fixed canary
 * deployed in its place (a new version: the verdict starts afresh) passes and the plan takes its first step.
 */
class MirrorGateIntegrationTest {
    @TempDir
    Path dir;

    Vertx vertx;
    Gateway gateway;
    int stablePort;
    int canaryPort;
    /** Whether the canary answers as stable does. */
    final AtomicBoolean canaryFixed = new AtomicBoolean();
    /** Requests the canary got that were not dark-launch copies: users. */
    final AtomicInteger canaryUsers = new AtomicInteger();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void upstreams() {
        vertx = Vertx.vertx();
        stablePort = vertx.createHttpServer().requestHandler(req -> req.response()
                        .putHeader("content-type", "application/json").end("{\"price\":10}"))
                .listen(0, "127.0.0.1").await().actualPort();
        canaryPort = vertx.createHttpServer().requestHandler(req -> {
            if (req.getHeader("x-ramp-mirror") == null) {
                canaryUsers.incrementAndGet();
            }
            req.response().putHeader("content-type", "application/json")
                    .end(canaryFixed.get() ? "{\"price\":10}" : "{\"price\":12}");
        }).listen(0, "127.0.0.1").await().actualPort();
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.shutdown(Duration.ofSeconds(1));
        }
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    private GatewayConfig config(String canaryVersion) {
        String route = TestConfigs.route("shop", stablePort, canaryPort, "0%",
                "guard { enabled = false }\n"
                + "mirror { percent = \"100%\", verdict { min-compared = 20 } }\n"
                + "rollout { steps = [\"10%\", \"50%\", \"100%\"], step-every = 1s, min-requests = 5, "
                + "promote-after = 1h, mirror-gate = true }")
                .replace("version = \"v2\"", "version = \"" + canaryVersion + "\"");
        return TestConfigs.load(dir, TestConfigs.gateway(dir, route, ""));
    }

    private void users(int n, String prefix) throws Exception {
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
                    + "/price")).header("X-User-Id", prefix + i).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
        }
    }

    private JsonObject route() {
        return new JsonObject(admin("/api/status?route=shop")).getJsonArray("routes").getJsonObject(0);
    }

    private String admin(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private List<JsonObject> events(String type) {
        List<JsonObject> out = new ArrayList<>();
        new JsonArray(admin("/api/events")).forEach(o -> {
            if (((JsonObject) o).getString("type").equals(type)) {
                out.add((JsonObject) o);
            }
        });
        return out;
    }

    @Test
    void aDifferingCanaryHoldsThePlanAtZeroAndAMatchingOneLetsItTakeItsFirstStep() throws Exception {
        gateway = Gateway.start(config("v2"));
        users(30, "a");
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() ->
                route().getJsonObject("rollout").getString("reason").startsWith("gate mirror held the step: fail: "));
        JsonObject held = route();
        assertThat(held.getJsonObject("rollout").getString("state")).isEqualTo("waiting_gate");
        assertThat(held.getJsonObject("rollout").getString("weight")).isEqualTo("0%");
        assertThat(held.getJsonObject("rollout").getString("reason")).contains("30 of 30 copies differed");
        JsonObject verdict = held.getJsonObject("mirror").getJsonObject("verdict");
        assertThat(verdict.getString("state")).isEqualTo("fail");
        assertThat(verdict.getDouble("mismatchRatio")).isEqualTo(1.0);
        assertThat(held.getJsonObject("mirror").getLong("bodyDiff")).isEqualTo(30);
        assertThat(events("rollout_gate_held")).isNotEmpty().allSatisfy(e ->
                assertThat(e.getJsonObject("details").getString("gate")).isEqualTo("mirror"));
        assertThat(events("rollout_step")).isEmpty();
        users(10, "b");
        assertThat(canaryUsers.get()).as("no user reached the held canary").isZero();

        // The fix ships as a new canary version: the plan starts again, the verdict afresh.
        canaryFixed.set(true);
        gateway.apply(config("v3"));
        assertThat(route().getJsonObject("mirror").getJsonObject("verdict").getString("state"))
                .isEqualTo("insufficient_data");
        users(30, "c");
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() ->
                "10%".equals(route().getJsonObject("rollout").getString("weight")));
        assertThat(route().getJsonObject("mirror").getJsonObject("verdict").getString("state")).isEqualTo("pass");
        assertThat(events("rollout_step")).singleElement().satisfies(e -> {
            assertThat(e.getJsonObject("details").getString("from")).isEqualTo("0%");
            assertThat(e.getJsonObject("details").getString("to")).isEqualTo("10%");
        });
    }
}
