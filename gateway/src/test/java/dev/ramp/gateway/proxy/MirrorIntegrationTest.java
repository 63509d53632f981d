package dev.ramp.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.proxy.mirror.MirrorResult;
import dev.ramp.gateway.proxy.mirror.MirrorStats;
import dev.ramp.gateway.testing.RawHttp;
import dev.ramp.gateway.testing.TestConfigs;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dark launch through the real gateway: real upstreams on port 0 whose answers each test chooses, copies
 * observed where they land (the canary) and in the counts, the metric and the admin API.
 */
class MirrorIntegrationTest {
    @TempDir
    Path dir;

    Vertx vertx;
    Gateway gateway;
    /** What the canary received: method, path and headers of each request. */
    final CopyOnWriteArrayList<Map<String, String>> canaryGot = new CopyOnWriteArrayList<>();
    final CopyOnWriteArrayList<Map<String, String>> stableGot = new CopyOnWriteArrayList<>();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.shutdown(Duration.ofSeconds(1));
        }
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    /** An upstream on port 0 answering with {@code handler}, recording each request into {@code log}. */
    private int upstream(CopyOnWriteArrayList<Map<String, String>> log, Handler<HttpServerRequest> handler) {
        return vertx.createHttpServer().requestHandler(req -> {
            Map<String, String> seen = new ConcurrentHashMap<>();
            req.headers().forEach(h -> seen.put(h.getKey().toLowerCase(), h.getValue()));
            seen.put(":method", req.method().name());
            seen.put(":path", req.path());
            log.add(seen);
            handler.handle(req);
        }).listen(0, "127.0.0.1").await().actualPort();
    }

    private static Handler<HttpServerRequest> json(String body) {
        return req -> req.response().putHeader("content-type", "application/json").end(body);
    }

    private void gateway(int stablePort, int canaryPort, String weight, String routeExtra) throws Exception {
        gateway = Gateway.start(TestConfigs.load(dir, TestConfigs.gateway(dir,
                TestConfigs.route("shop", stablePort, canaryPort, weight, routeExtra), "")));
    }

    private MirrorStats stats() {
        return gateway.snapshot().route("shop").mirror();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String admin(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void identicalAnswersAreCountedAsMatchesAndUsersOnlySeeStable() throws Exception {
        int s = upstream(stableGot, json("{\"items\":[1,2,3]}"));
        int c = upstream(canaryGot, json("{\"items\":[1,2,3]}"));
        gateway(s, c, "0%", "mirror { percent = \"100%\" }");
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = get("/items?page=" + i, "X-User-Id", "user-" + i);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("{\"items\":[1,2,3]}");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> stats().count(MirrorResult.MATCH) == 10);
        assertThat(stableGot).hasSize(10);
        assertThat(canaryGot).hasSize(10).allSatisfy(h -> {
            assertThat(h.get("x-ramp-mirror")).isEqualTo("1");
            assertThat(h.get("host")).isEqualTo("127.0.0.1:" + c);
        });
        assertThat(canaryGot.get(3).get(":path")).isEqualTo("/items");
        for (MirrorResult r : new MirrorResult[] {MirrorResult.STATUS_DIFF, MirrorResult.BODY_DIFF,
                MirrorResult.ERROR, MirrorResult.DROPPED}) {
            assertThat(stats().count(r)).as(r.tag()).isZero();
        }
        assertThat(admin("/metrics"))
                .contains("ramp_mirror_requests_total{result=\"match\",route=\"shop\"} 10.0")
                .contains("ramp_mirror_requests_total{result=\"body_diff\",route=\"shop\"} 0.0");
        JsonObject status = new JsonObject(admin("/api/status"));
        JsonObject mirror = status.getJsonArray("routes").getJsonObject(0).getJsonObject("mirror");
        assertThat(mirror.getLong("match")).isEqualTo(10);
        assertThat(mirror.getLong("bodyDiff")).isZero();
    }

    @Test
    void differentBodiesAndStatusesAreCountedAndListedWithoutSecretHeaders() throws Exception {
        int s = upstream(stableGot, req -> req.response().end("price=10 " + req.path()));
        int c = upstream(canaryGot, req -> {
            if (req.path().equals("/broken")) {
                req.response().setStatusCode(500).end("boom");
            } else {
                req.response().end("price=12 " + req.path());
            }
        });
        gateway(s, c, "0%", "mirror { percent = \"100%\" }");
        assertThat(get("/cart", "Authorization", "Bearer s3cret-token", "Cookie", "session=top-secret-cookie",
                "X-User-Id", "ann", "X-Forwarded-For", "6.6.6.6").body()).isEqualTo("price=10 /cart");
        assertThat(get("/broken", "X-User-Id", "bob").body()).isEqualTo("price=10 /broken");
        await().atMost(Duration.ofSeconds(5)).until(() -> stats().count(MirrorResult.BODY_DIFF) == 1
                && stats().count(MirrorResult.STATUS_DIFF) == 1);
        assertThat(stats().count(MirrorResult.MATCH)).isZero();
        // The copy carries what the canary needs to answer the same request, forwarded as stable got it...
        assertThat(canaryGot.get(0).get("authorization")).isEqualTo("Bearer s3cret-token");
        // (the test client is a trusted source, so its X-Forwarded-For is extended, as for stable)
        assertThat(canaryGot.get(0).get("x-forwarded-for")).isEqualTo(stableGot.get(0).get("x-forwarded-for"))
                .isEqualTo("6.6.6.6, 127.0.0.1");
        assertThat(canaryGot.get(0).get("x-forwarded-proto")).isEqualTo(stableGot.get(0).get("x-forwarded-proto"));
        // ...but nothing kept for the API does.
        String raw = admin("/api/routes/shop/mirror/diffs");
        assertThat(raw).doesNotContain("s3cret").doesNotContain("top-secret");
        JsonArray diffs = new JsonObject(raw).getJsonArray("diffs");
        assertThat(diffs).hasSize(2);
        JsonObject newest = diffs.getJsonObject(0);
        assertThat(newest.getString("result")).isEqualTo("status_diff");
        assertThat(newest.getString("method")).isEqualTo("GET");
        assertThat(newest.getString("uri")).isEqualTo("/broken");
        assertThat(newest.getInteger("stableStatus")).isEqualTo(200);
        assertThat(newest.getInteger("canaryStatus")).isEqualTo(500);
        assertThat(newest.getString("canaryBody")).isEqualTo("boom");
        JsonObject older = diffs.getJsonObject(1);
        assertThat(older.getString("result")).isEqualTo("body_diff");
        assertThat(older.getString("stableBody")).isEqualTo("price=10 /cart");
        assertThat(older.getString("canaryBody")).isEqualTo("price=12 /cart");
        assertThat(new JsonObject(admin("/api/routes/nope/mirror/diffs")).getString("error"))
                .isEqualTo("unknown_route");
    }

    @Test
    void jsonAnswersThatDifferOnlyInKeyOrderMatch() throws Exception {
        int s = upstream(stableGot, json("{\"id\":7,\"price\":{\"eur\":10,\"usd\":11}}"));
        int c = upstream(canaryGot, req -> json(req.path().equals("/same")
                ? "{\"price\":{\"usd\":11,\"eur\":10},\"id\":7}"
                : "{\"price\":{\"usd\":11,\"eur\":99},\"id\":7}").handle(req));
        gateway(s, c, "0%", "mirror { percent = \"100%\" }");
        get("/same", "X-User-Id", "a");
        get("/other", "X-User-Id", "a");
        await().atMost(Duration.ofSeconds(5)).until(() -> stats().count(MirrorResult.MATCH) == 1
                && stats().count(MirrorResult.BODY_DIFF) == 1);
    }

    @Test
    void largeStreamedBodiesAreComparedWithoutBeingKeptWhole() throws Exception {
        String big = "x".repeat(300_000);
        int s = upstream(stableGot, req -> req.response().setChunked(true).end(big));
        int c = upstream(canaryGot, req -> req.response().putHeader("content-length", "300000")
                .end(req.path().equals("/same") ? big : "y" + big.substring(1)));
        gateway(s, c, "0%", "mirror { percent = \"100%\" }");
        assertThat(get("/same", "X-User-Id", "a").body()).hasSize(300_000);
        assertThat(get("/other", "X-User-Id", "a").body()).hasSize(300_000);
        await().atMost(Duration.ofSeconds(5)).until(() -> stats().count(MirrorResult.MATCH) == 1
                && stats().count(MirrorResult.BODY_DIFF) == 1);
        JsonObject diff = new JsonObject(admin("/api/routes/shop/mirror/diffs")).getJsonArray("diffs").getJsonObject(0);
        assertThat(diff.getString("stableBody")).hasSize(512); // truncated
    }

    @Test
    void aSlowCanaryNeverSlowsAUser() throws Exception {
        int s = upstream(stableGot, json("{\"ok\":true}"));
        int c = upstream(canaryGot, req -> vertx.setTimer(1000, t -> json("{\"ok\":true}").handle(req)));
        gateway(s, c, "0%", "mirror { percent = \"100%\" }");
        get("/warm", "X-User-Id", "warm"); // the first request pays for connecting to stable
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = get("/slow", "X-User-Id", "user-" + i);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(r.body()).isEqualTo("{\"ok\":true}");
            assertThat(millis).as("user's answer time").isLessThan(300);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> stats().count(MirrorResult.MATCH) == 6);
    }

    @Test
    void postIsNotCopiedUnlessListedAndBodiesAreNeverCopied() throws Exception {
        int s = upstream(stableGot, json("{}"));
        int c = upstream(canaryGot, json("{}"));
        gateway(s, c, "0%", "mirror { percent = \"100%\" }");
        String post = "POST /orders HTTP/1.1\r\nHost: t\r\nX-User-Id: u\r\nConnection: close\r\n\r\n";
        assertThat(RawHttp.exchange(gateway.port(), post, 5000)).startsWith("HTTP/1.1 200");
        get("/after", "X-User-Id", "u");
        await().atMost(Duration.ofSeconds(5)).until(() -> stats().count(MirrorResult.MATCH) == 1);
        assertThat(canaryGot).extracting(h -> h.get(":method")).containsExactly("GET");

        gateway.shutdown(Duration.ofSeconds(1));
        canaryGot.clear();
        gateway(s, c, "0%", "mirror { percent = \"100%\", methods = [\"GET\", \"POST\"] }");
        assertThat(RawHttp.exchange(gateway.port(), post, 5000)).startsWith("HTTP/1.1 200");
        String withBody = "POST /orders HTTP/1.1\r\nHost: t\r\nX-User-Id: u\r\nContent-Length: 2\r\n"
                          + "Connection: close\r\n\r\n{}";
        assertThat(RawHttp.exchange(gateway.port(), withBody, 5000)).startsWith("HTTP/1.1 200");
        get("/after", "X-User-Id", "u");
        await().atMost(Duration.ofSeconds(5)).until(() -> stats().count(MirrorResult.MATCH) == 2);
        assertThat(canaryGot).extracting(h -> h.get(":method") + " " + h.get(":path"))
                .containsExactlyInAnyOrder("POST /orders", "GET /after");
    }

    @Test
    void copiesBeyondMaxInFlightAreDroppedAndCounted() throws Exception {
        int s = upstream(stableGot, json("{}"));
        int c = upstream(canaryGot, req -> vertx.setTimer(1500, t -> json("{}").handle(req)));
        gateway(s, c, "0%", "mirror { percent = \"100%\", max-in-flight = 1 }");
        for (int i = 0; i < 4; i++) {
            get("/x", "X-User-Id", "u" + i);
        }
        assertThat(stats().count(MirrorResult.DROPPED)).isEqualTo(3);
        await().atMost(Duration.ofSeconds(5)).until(() -> stats().count(MirrorResult.MATCH) == 1);
        assertThat(canaryGot).hasSize(1);
        assertThat(stats().inFlight()).isZero();
        assertThat(admin("/metrics")).contains("ramp_mirror_requests_total{result=\"dropped\",route=\"shop\"} 3.0");
    }

    @Test
    void aCanaryThatNeverAnswersIsAnErrorAfterTheResponseTimeout() throws Exception {
        int s = upstream(stableGot, json("{}"));
        int c = upstream(canaryGot, req -> { });
        gateway(s, c, "0%", "mirror { percent = \"100%\" }, timeouts { response = 300ms, connect = 200ms }");
        assertThat(get("/x", "X-User-Id", "u").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> stats().count(MirrorResult.ERROR) == 1);
        assertThat(stats().inFlight()).isZero();
        JsonObject diff = new JsonObject(admin("/api/routes/shop/mirror/diffs")).getJsonArray("diffs").getJsonObject(0);
        assertThat(diff.getString("result")).isEqualTo("error");
        assertThat(diff.getString("canaryBody")).contains("no complete answer");
    }

    @Test
    void aSampledUserIsCopiedEveryTimeAndOthersNever() throws Exception {
        int s = upstream(stableGot, json("{}"));
        int c = upstream(canaryGot, json("{}"));
        gateway(s, c, "0%", "mirror { percent = \"50%\" }");
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 40; i++) {
                get("/x", "X-User-Id", "user-" + i);
            }
        }
        await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ofMillis(200))
                .until(() -> stats().count(MirrorResult.MATCH) == canaryGot.size());
        Map<String, Integer> perUser = new ConcurrentHashMap<>();
        canaryGot.forEach(h -> perUser.merge(h.get("x-user-id"), 1, Integer::sum));
        assertThat(perUser.values()).allMatch(n -> n == 2);
        assertThat(perUser.size()).isBetween(8, 32);
    }

    @Test
    void headRequestsAreCopiedAndCountsSurviveAReload() throws Exception {
        int s = upstream(stableGot, json("{\"v\":1}"));
        int c = upstream(canaryGot, json("{\"v\":1}"));
        gateway(s, c, "0%", "mirror { percent = \"100%\" }");
        String head = "HEAD /x HTTP/1.1\r\nHost: t\r\nX-User-Id: u\r\nConnection: close\r\n\r\n";
        assertThat(RawHttp.exchange(gateway.port(), head, 5000)).startsWith("HTTP/1.1 200");
        await().atMost(Duration.ofSeconds(5)).until(() -> stats().count(MirrorResult.MATCH) == 1);
        assertThat(canaryGot).extracting(h -> h.get(":method")).containsExactly("HEAD");
        MirrorStats before = stats();
        gateway.reload(TestConfigs.load(dir, TestConfigs.gateway(dir,
                TestConfigs.route("shop", s, c, "0%", "mirror { percent = \"100%\", max-in-flight = 7 }"), "")));
        assertThat(stats()).isSameAs(before);
        get("/y", "X-User-Id", "u");
        await().atMost(Duration.ofSeconds(5)).until(() -> stats().count(MirrorResult.MATCH) == 2);
        gateway.reload(TestConfigs.load(dir, TestConfigs.gateway(dir, TestConfigs.route("shop", s, c, "0%", ""), "")));
        get("/z", "X-User-Id", "u");
        assertThat(stats()).isNull();
        assertThat(canaryGot).hasSize(2);
        assertThat(admin("/metrics")).as("a mirror taken away takes its series").doesNotContain("ramp_mirror_");
    }

    @Test
    void mirroringOffSendsNothingToTheCanary() throws Exception {
        int s = upstream(stableGot, json("{}"));
        int c = upstream(canaryGot, json("{}"));
        gateway(s, c, "0%", "");
        for (int i = 0; i < 20; i++) {
            get("/x", "X-User-Id", "u" + i);
        }
        assertThat(gateway.snapshot().route("shop").mirror()).isNull();
        // Users, not requests: a client may resend a GET whose keep-alive connection it found closed.
        assertThat(stableGot.stream().map(h -> h.get("x-user-id")).distinct()).hasSize(20);
        assertThat(canaryGot).isEmpty();
        assertThat(new JsonObject(admin("/api/status")).getJsonArray("routes").getJsonObject(0).containsKey("mirror"))
                .isFalse();
        assertThat(admin("/metrics")).doesNotContain("ramp_mirror_requests_total")
                .doesNotContain("ramp_mirror_duration_seconds");
    }

    @Test
    void canaryUsersAreNotCopied() throws Exception {
        int s = upstream(stableGot, json("{}"));
        int c = upstream(canaryGot, json("{}"));
        gateway(s, c, "100%", "mirror { percent = \"100%\" }");
        for (int i = 0; i < 5; i++) {
            get("/x", "X-User-Id", "u" + i);
        }
        assertThat(canaryGot).hasSize(5).allSatisfy(h -> assertThat(h).doesNotContainKey("x-ramp-mirror"));
        assertThat(stableGot).isEmpty();
        Set<Long> counts = new HashSet<>();
        for (MirrorResult r : MirrorResult.values()) {
            counts.add(stats().count(r));
        }
        assertThat(counts).containsExactly(0L);
    }

    @Test
    void responseHeadersAreComparedExceptTheGatewaysOwnFramingAndListedOnesAndSecretValuesNeverShow() throws Exception {
        int s = upstream(stableGot, req -> {
            req.response().putHeader("content-type", "text/plain").putHeader("etag", "\"stable-1\"");
            if (req.path().equals("/cache")) {
                req.response().putHeader("cache-control", "max-age=60");
            }
            if (req.path().equals("/cookie")) {
                req.response().putHeader("set-cookie", "sid=stable-session-value");
            }
            req.response().end("same body");
        });
        int c = upstream(canaryGot, req -> {
            // chunked where stable sent a length, another ETag (listed), no-store where stable caches
            req.response().setChunked(true).putHeader("Content-Type", "text/plain").putHeader("ETag", "\"canary-9\"");
            if (req.path().equals("/cache")) {
                req.response().putHeader("Cache-Control", "no-store");
            }
            if (req.path().equals("/cookie")) {
                req.response().putHeader("Set-Cookie", "sid=canary-session-value");
            }
            req.response().end("same body");
        });
        gateway(s, c, "0%", "expose-version-header = true\n"
                + "mirror { percent = \"100%\", ignore-headers = [\"Date\", \"etag\"] }");
        // No identity: the gateway sets its own cookie (and X-Ramp-Version) on stable's answer, not a difference.
        HttpResponse<String> fresh = get("/same");
        assertThat(fresh.headers().firstValue("set-cookie")).hasValueSatisfying(v -> assertThat(v).startsWith("ramp_uid="));
        await().atMost(Duration.ofSeconds(5)).until(() -> stats().count(MirrorResult.MATCH) == 1);
        get("/cache", "X-User-Id", "u");
        get("/cookie", "X-User-Id", "u");
        await().atMost(Duration.ofSeconds(5)).until(() -> stats().count(MirrorResult.HEADER_DIFF) == 2);
        assertThat(stats().count(MirrorResult.MATCH)).isEqualTo(1);
        assertThat(admin("/metrics")).contains("ramp_mirror_requests_total{result=\"header_diff\",route=\"shop\"} 2.0");

        String raw = admin("/api/routes/shop/mirror/diffs");
        assertThat(raw).doesNotContain("session-value");
        JsonArray diffs = new JsonObject(raw).getJsonArray("diffs");
        assertThat(diffs).hasSize(2);
        JsonObject cookie = diffs.getJsonObject(0);
        assertThat(cookie.getString("result")).isEqualTo("header_diff");
        assertThat(cookie.getString("uri")).isEqualTo("/cookie");
        assertThat(cookie.getJsonArray("headers")).containsExactly(
                new JsonObject().put("name", "set-cookie").put("redacted", true));
        JsonObject cache = diffs.getJsonObject(1);
        assertThat(cache.getJsonArray("headers")).containsExactly(new JsonObject().put("name", "cache-control")
                .put("stable", "max-age=60").put("canary", "no-store"));
        assertThat(new JsonObject(admin("/api/status")).getJsonArray("routes").getJsonObject(0)
                .getJsonObject("mirror").getLong("headerDiff")).isEqualTo(2);
    }

    @Test
    void ignoredJsonFieldsDoNotMakeADifference() throws Exception {
        int s = upstream(stableGot, req -> json("{\"id\":7,\"updatedAt\":\"10:00:01\",\"meta\":{\"requestId\":\"a1\"}}")
                .handle(req));
        int c = upstream(canaryGot, req -> json(req.path().equals("/same")
                ? "{\"meta\":{\"requestId\":\"b2\"},\"updatedAt\":\"10:00:02\",\"id\":7}"
                : "{\"meta\":{\"requestId\":\"b2\"},\"updatedAt\":\"10:00:02\",\"id\":8}").handle(req));
        gateway(s, c, "0%", "mirror { percent = \"100%\", ignore-fields = [\"updatedAt\", \"meta.requestId\"] }");
        get("/same", "X-User-Id", "a");
        get("/other", "X-User-Id", "a");
        await().atMost(Duration.ofSeconds(5)).until(() -> stats().count(MirrorResult.MATCH) == 1
                && stats().count(MirrorResult.BODY_DIFF) == 1);
    }

    @Test
    void copyTimesAreMeasuredPerVersionAndTheStatusShowsTheVerdict() throws Exception {
        int s = upstream(stableGot, json("{\"ok\":true}"));
        int c = upstream(canaryGot, json("{\"ok\":true}"));
        gateway(s, c, "0%", "mirror { percent = \"100%\", verdict { min-compared = 5 } }");
        for (int i = 0; i < 4; i++) {
            get("/x", "X-User-Id", "u" + i);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> stats().count(MirrorResult.MATCH) == 4);
        JsonObject verdict = mirrorStatus().getJsonObject("verdict");
        assertThat(verdict.getString("state")).isEqualTo("insufficient_data");
        assertThat(verdict.getString("reason")).isEqualTo("4 of 5 copies compared in the last 5m");
        get("/x", "X-User-Id", "u4");
        await().atMost(Duration.ofSeconds(5)).until(() -> stats().count(MirrorResult.MATCH) == 5);
        verdict = mirrorStatus().getJsonObject("verdict");
        assertThat(verdict.getString("state")).isEqualTo("pass");
        assertThat(verdict.getLong("compared")).isEqualTo(5);
        assertThat(verdict.getDouble("mismatchRatio")).isZero();
        assertThat(verdict.getDouble("canaryP99Ms")).isPositive();
        assertThat(verdict.getDouble("stableP99Ms")).isPositive();
        assertThat(admin("/metrics"))
                .contains("ramp_mirror_duration_seconds_count{role=\"stable\",route=\"shop\",version=\"v1\"} 5")
                .contains("ramp_mirror_duration_seconds_count{role=\"canary\",route=\"shop\",version=\"v2\"} 5")
                .contains("ramp_mirror_duration_seconds_bucket{role=\"canary\",route=\"shop\",version=\"v2\",le=\"30.0\"} 5");
    }

    private JsonObject mirrorStatus() throws Exception {
        return new JsonObject(admin("/api/status")).getJsonArray("routes").getJsonObject(0).getJsonObject("mirror");
    }
}
