package dev.ramp.gateway.admin;

import static dev.ramp.gateway.testing.TestBed.admin;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.testing.RawHttp;
import dev.ramp.gateway.testing.TestBed;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How the admin router maps paths and methods: 405 with Allow, 404 for the rest, the body limit, route names. */
class AdminRoutingTest {
    private static final String TOKEN = "test-token-0123456789";
    private static final String BEARER = "Bearer " + TOKEN;
    /** Every character a route name may hold, in names that look like paths, versions and file names. */
    private static final List<String> ODD_NAMES = List.of("api.v2_shop-eu", "-", "_", "...", "a..b", ".hidden", "x.",
            "UPPER.lower-09_");

    @TempDir
    Path dir;
    private TestBed bed;
    private Gateway gateway;

    @BeforeEach
    void start() throws Exception {
        bed = new TestBed(dir);
        String[] routes = new String[ODD_NAMES.size() + 1];
        routes[0] = bed.route("shop", "/", "30%");
        for (int i = 0; i < ODD_NAMES.size(); i++) {
            routes[i + 1] = bed.route(ODD_NAMES.get(i), "/r" + i + "/", "10%");
        }
        gateway = bed.start(bed.gatewayConf(TOKEN, routes));
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        bed.close();
    }

    private HttpResponse<String> request(String method, String path) {
        return bed.send(HttpRequest.newBuilder(URI.create(admin(gateway, path)))
                .header("Authorization", BEARER)
                .method(method, HttpRequest.BodyPublishers.noBody()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/metrics", "/health/live", "/health/ready", "/api/status", "/api/events"})
    void aGetEndpointAskedWithAnotherMethodIs405AllowingGet(String path) {
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            HttpResponse<String> r = request(method, path);
            assertThat(r.statusCode()).as(method + " " + path).isEqualTo(405);
            assertThat(r.headers().firstValue("allow")).hasValue("GET");
            assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
            assertThat(new JsonObject(r.body())).isEqualTo(new JsonObject().put("error", "method_not_allowed")
                    .put("message", method + " " + path + " (expected: GET)"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"revert", "resume"})
    void theKillSwitchAskedWithAnotherMethodIs405AllowingPostAndChangesNothing(String action) {
        for (String method : List.of("GET", "PUT", "DELETE")) {
            HttpResponse<String> r = request(method, "/api/routes/shop/" + action);
            assertThat(r.statusCode()).isEqualTo(405);
            assertThat(r.headers().firstValue("allow")).hasValue("POST");
            assertThat(r.body()).isEqualTo("{\"error\":\"method_not_allowed\",\"message\":\"" + method
                    + " /api/routes/shop/" + action + " (expected: POST)\"}");
        }
        assertThat(gateway.snapshot().route("shop").reverted()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/nope", "/metrics/", "/health", "/api/status/x", "/api/routes/shop/revert/",
            "/api/routes//revert", "/api/routes/shop", "/api/routes/shop/explode", "/api/routes/a/b/revert"})
    void unknownPathsAre404JsonListingTheEndpoints(String path) {
        HttpResponse<String> r = request("POST", path);
        assertThat(r.statusCode()).as(path).isEqualTo(404);
        assertThat(r.body()).isEqualTo("{\"error\":\"not_found\",\"message\":\"no admin endpoint POST " + path
                + " (expected: GET /metrics, /health/live, /health/ready, /api/status, /api/events;"
                + " POST /api/routes/{name}/revert or /resume, /api/alerts)\"}");
        assertThat(gateway.snapshot().route("shop").reverted()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"//metrics", "/health//live", "/./api/status", "/api/x/../status", "/api/routes/shop/./revert",
            "/api/routes/x/../shop/revert", "/%6Detrics"})
    void pathsAreMatchedExactlyAsSentNotAfterNormalisation(String path) throws Exception {
        String response = RawHttp.exchange(gateway.adminPort(), "POST " + path + " HTTP/1.1\r\nHost: x\r\n"
                + "Authorization: " + BEARER + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", 5_000);
        assertThat(response).as(path).startsWith("HTTP/1.1 404 ")
                .endsWith("{\"error\":\"not_found\",\"message\":\"no admin endpoint POST " + path
                        + " (expected: GET /metrics, /health/live, /health/ready, /api/status, /api/events;"
                        + " POST /api/routes/{name}/revert or /resume, /api/alerts)\"}");
        assertThat(gateway.snapshot().route("shop").reverted()).isFalse();
    }

    @Test
    void aBodyOfExactlyTheLimitIsReadAndTheRequestServed() {
        HttpResponse<String> r = bed.send(HttpRequest.newBuilder(URI.create(admin(gateway, "/api/routes/shop/revert")))
                .header("Authorization", BEARER)
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(AdminServer.MAX_BODY_BYTES))));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(gateway.snapshot().route("shop").reverted()).isTrue();
    }

    @Test
    void oneByteOverTheLimitIs413WithTheErrorBody() {
        HttpResponse<String> r = bed.send(HttpRequest.newBuilder(URI.create(admin(gateway, "/api/routes/shop/revert")))
                .header("Authorization", BEARER)
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(AdminServer.MAX_BODY_BYTES + 1))));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).isEqualTo("{\"error\":\"payload_too_large\",\"message\":\"admin requests carry at most"
                + " 65536 bytes of body\"}");
        assertThat(gateway.snapshot().route("shop").reverted()).isFalse();
    }

    @Test
    void aChunkedBodyOverTheLimitIs413Too() {
        byte[] body = new byte[AdminServer.MAX_BODY_BYTES * 2];
        HttpResponse<String> r = bed.send(HttpRequest.newBuilder(URI.create(admin(gateway, "/api/status")))
                .method("GET", HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("payload_too_large");
    }

    @Test
    void aSmallBodyOnAGetIsReadAndIgnored() throws Exception {
        String response = RawHttp.exchange(gateway.adminPort(), "GET /health/live HTTP/1.1\r\nHost: x\r\n"
                + "Content-Length: 5\r\n\r\nhello"
                + "GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5_000);
        assertThat(response.split("HTTP/1.1 200 OK", -1)).as("two answers on one connection").hasSize(3);
    }

    @Test
    void routeNamesWithDotsDashesAndUnderscoresAreAddressable() {
        for (String name : ODD_NAMES) {
            HttpResponse<String> reverted = request("POST", "/api/routes/" + name + "/revert");
            assertThat(reverted.statusCode()).as(name).isEqualTo(200);
            JsonObject body = new JsonObject(reverted.body());
            assertThat(body.getString("route")).isEqualTo(name);
            assertThat(body.getString("effectiveWeight")).isEqualTo("0%");
            assertThat(gateway.snapshot().route(name).reverted()).as(name).isTrue();
            assertThat(gateway.snapshot().route("shop").reverted()).isFalse();

            HttpResponse<String> resumed = request("POST", "/api/routes/" + name + "/resume");
            assertThat(resumed.statusCode()).isEqualTo(200);
            assertThat(new JsonObject(resumed.body()).getString("effectiveWeight")).isEqualTo("10%");
        }
    }

    @Test
    void anUnknownRouteNameIsEchoedAsSent() {
        HttpResponse<String> r = request("POST", "/api/routes/shop.v2/revert");
        assertThat(r.statusCode()).isEqualTo(404);
        JsonObject body = new JsonObject(r.body());
        assertThat(body.getString("error")).isEqualTo("unknown_route");
        assertThat(body.getString("route")).isEqualTo("shop.v2");
        assertThat(body.fieldNames()).containsExactly("error", "route", "message");
    }
}
