package dev.ramp.gateway.admin;

import static dev.ramp.gateway.testing.TestBed.admin;
import static dev.ramp.gateway.testing.TestBed.traffic;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.events.EventLog;
import dev.ramp.gateway.testing.PrometheusScrape;
import dev.ramp.gateway.testing.TestBed;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API against a running gateway: shapes, errors, token rules, and the kill switch end to end. */
class AdminApiTest {
    private static final String TOKEN = "test-token-0123456789";
    private static final String BEARER = "Bearer " + TOKEN;

    @TempDir
    Path dir;
    private TestBed bed;
    private Gateway gateway;

    @BeforeEach
    void start() throws Exception {
        bed = new TestBed(dir);
        gateway = bed.start(bed.gatewayConf(TOKEN, bed.route("shop", "/", "30%")));
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        bed.close();
    }

    @Test
    void healthIsLiveAndReadyOnceTheGatewayServes() {
        assertThat(bed.get(admin(gateway, "/health/live")).statusCode()).isEqualTo(200);
        HttpResponse<String> ready = bed.get(admin(gateway, "/health/ready"));
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(ready.body()).getString("status")).isEqualTo("ready");
        assertThat(gateway.adminPort()).isNotEqualTo(gateway.port()).isPositive();
    }

    @Test
    void statusHasTheDocumentedShape() {
        HttpResponse<String> r = bed.get(admin(gateway, "/api/status"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        JsonObject status = new JsonObject(r.body());
        JsonObject config = status.getJsonObject("config");
        assertThat(config.getMap()).containsOnlyKeys("file", "loadedAt", "lastError");
        assertThat(config.getString("file")).isEqualTo(gateway.snapshot().config().file().toString());
        assertThat(Instant.parse(config.getString("loadedAt"))).isBeforeOrEqualTo(Instant.now());
        assertThat(config.getValue("lastError")).isNull();

        JsonObject route = status.getJsonArray("routes").getJsonObject(0);
        assertThat(route.fieldNames()).containsExactly("name", "configuredWeight", "effectiveWeight", "state",
                "stable", "canary", "latch", "window", "guard", "rollout");
        assertThat(route.getValue("rollout")).as("no rollout block, no plan").isNull();
        assertThat(route.getJsonObject("guard").fieldNames()).containsExactly("verdict", "breaches",
                "consecutiveBreaches", "breachesToRevert", "evidence");
        assertThat(route.getString("name")).isEqualTo("shop");
        assertThat(route.getString("configuredWeight")).isEqualTo("30%");
        assertThat(route.getString("effectiveWeight")).isEqualTo("30%");
        assertThat(route.getString("state")).isEqualTo("insufficient_data"); // no traffic yet
        assertThat(route.getJsonObject("stable")).isEqualTo(new JsonObject()
                .put("url", "http://127.0.0.1:" + bed.stablePort).put("version", TestBed.STABLE_VERSION));
        assertThat(route.getJsonObject("canary").getString("version")).isEqualTo(TestBed.CANARY_VERSION);
        assertThat(route.getValue("latch")).isNull();
        JsonObject window = route.getJsonObject("window");
        assertThat(window.getJsonObject("canary").fieldNames())
                .containsExactly("requests", "errorRate", "p50Ms", "p95Ms", "p99Ms");
    }

    @Test
    void revertTakesTheCanaryOutAndResumePutsItBack() {
        HttpResponse<String> reverted = bed.post(admin(gateway, "/api/routes/shop/revert"), "Authorization", BEARER);
        assertThat(reverted.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(reverted.body()).getString("effectiveWeight")).isEqualTo("0%");

        JsonObject route = new JsonObject(bed.get(admin(gateway, "/api/status")).body())
                .getJsonArray("routes").getJsonObject(0);
        assertThat(route.getString("effectiveWeight")).isEqualTo("0%");
        assertThat(route.getString("configuredWeight")).isEqualTo("30%");
        assertThat(route.getString("state")).isEqualTo("reverted");

        // Every user now lands on stable (30 % of 40 anonymous users would otherwise see the canary).
        for (int i = 0; i < 40; i++) {
            assertThat(bed.get(traffic(gateway, "/"), "X-User-Id", "user-" + i).body()).contains("\"version\":\"stable\"");
        }
        PrometheusScrape s = bed.scrape(gateway);
        assertThat(s.counter("ramp_reverts_total", "reason", "manual", "route", "shop")).isEqualTo(1);
        assertThat(s.gauge("ramp_canary_weight_ratio", "kind", "effective", "route", "shop")).isZero();

        // A second revert changes nothing and is not counted again.
        assertThat(new JsonObject(bed.post(admin(gateway, "/api/routes/shop/revert"), "Authorization", BEARER).body())
                .getBoolean("changed")).isFalse();

        HttpResponse<String> resumed = bed.post(admin(gateway, "/api/routes/shop/resume"), "Authorization", BEARER);
        assertThat(resumed.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(resumed.body()).getString("effectiveWeight")).isEqualTo("30%");
        assertThat(bed.scrape(gateway).counter("ramp_reverts_total", "reason", "manual", "route", "shop")).isEqualTo(1);

        JsonArray events = new JsonArray(bed.get(admin(gateway, "/api/events")).body());
        assertThat(events.stream().map(e -> ((JsonObject) e).getString("type")))
                .containsExactly(EventLog.RESUME, EventLog.REVERT);
    }

    @Test
    void postsWithoutTheRightBearerTokenAreRefusedWith401() {
        HttpResponse<String> none = bed.post(admin(gateway, "/api/routes/shop/revert"));
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(new JsonObject(none.body()).getString("error")).isEqualTo("unauthorized");

        HttpResponse<String> wrong = bed.post(admin(gateway, "/api/routes/shop/revert"), "Authorization", "Bearer nope");
        assertThat(wrong.statusCode()).isEqualTo(401);
        HttpResponse<String> basic = bed.post(admin(gateway, "/api/routes/shop/revert"), "Authorization", "Basic " + TOKEN);
        assertThat(basic.statusCode()).isEqualTo(401);
        HttpResponse<String> prefix = bed.post(admin(gateway, "/api/routes/shop/revert"), "Authorization",
                BEARER.substring(0, BEARER.length() - 1));
        assertThat(prefix.statusCode()).isEqualTo(401);

        assertThat(gateway.snapshot().route("shop").reverted()).isFalse();
    }

    @Test
    void withoutAConfiguredTokenPostsAreRefusedWith403SayingHowToSetOne() {
        gateway.apply(bed.config(bed.gatewayConf(null, bed.route("shop", "/", "30%"))));
        HttpResponse<String> r = bed.post(admin(gateway, "/api/routes/shop/revert"), "Authorization", BEARER);
        assertThat(r.statusCode()).isEqualTo(403);
        JsonObject body = new JsonObject(r.body());
        assertThat(body.getString("error")).isEqualTo("admin_token_not_configured");
        assertThat(body.getString("message")).contains("ramp.admin.token", "RAMP_ADMIN_TOKEN");
        assertThat(gateway.snapshot().route("shop").reverted()).isFalse();
    }

    @Test
    void unknownPathsAndRoutesAre404JsonAndWrongMethods405() {
        HttpResponse<String> unknown = bed.get(admin(gateway, "/nope"));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(unknown.body()).getString("error")).isEqualTo("not_found");
        assertThat(bed.get(admin(gateway, "/api/routes/shop/explode")).statusCode()).isEqualTo(404);
        assertThat(bed.get(admin(gateway, "/metrics/")).statusCode()).isEqualTo(404);

        HttpResponse<String> noRoute = bed.post(admin(gateway, "/api/routes/checkout/revert"), "Authorization", BEARER);
        assertThat(noRoute.statusCode()).isEqualTo(404);
        JsonObject body = new JsonObject(noRoute.body());
        assertThat(body.getString("error")).isEqualTo("unknown_route");
        assertThat(body.getString("route")).isEqualTo("checkout");
        assertThat(body.getString("message")).contains("\"checkout\"", "shop");

        HttpResponse<String> getRevert = bed.get(admin(gateway, "/api/routes/shop/revert"));
        assertThat(getRevert.statusCode()).isEqualTo(405);
        assertThat(getRevert.headers().firstValue("allow")).hasValue("POST");
        assertThat(new JsonObject(getRevert.body()).getString("error")).isEqualTo("method_not_allowed");
        HttpResponse<String> postMetrics = bed.post(admin(gateway, "/metrics"), "Authorization", BEARER);
        assertThat(postMetrics.statusCode()).isEqualTo(405);
        assertThat(postMetrics.headers().firstValue("allow")).hasValue("GET");
    }

    @Test
    void anOversizedBodyIsRefusedWith413() {
        HttpResponse<String> r = bed.send(HttpRequest.newBuilder(URI.create(admin(gateway, "/api/routes/shop/revert")))
                .header("Authorization", BEARER)
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(AdminServer.MAX_BODY_BYTES + 1))));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(gateway.snapshot().route("shop").reverted()).isFalse();
    }

    @Test
    void aFailedReloadIsReportedInStatusEventsAndMetrics() {
        gateway.reloadFailed("gateway-9.conf:3: ramp.routes[0].weight: \"120%\" (expected: 0% to 100%)");
        JsonObject config = new JsonObject(bed.get(admin(gateway, "/api/status")).body()).getJsonObject("config");
        assertThat(config.getString("lastError")).contains("120%");
        assertThat(bed.scrape(gateway).counter("ramp_config_reloads_total", "result", "failure")).isEqualTo(1);
        JsonObject event = new JsonArray(bed.get(admin(gateway, "/api/events")).body()).getJsonObject(0);
        assertThat(event.getString("type")).isEqualTo(EventLog.RELOAD_FAILED);

        gateway.reload(bed.config(bed.gatewayConf(TOKEN, bed.route("shop", "/", "40%"))));
        JsonObject after = new JsonObject(bed.get(admin(gateway, "/api/status")).body());
        assertThat(after.getJsonObject("config").getValue("lastError")).isNull();
        assertThat(after.getJsonArray("routes").getJsonObject(0).getString("configuredWeight")).isEqualTo("40%");
        assertThat(bed.scrape(gateway).counter("ramp_config_reloads_total", "result", "success")).isEqualTo(1);
    }
}
