package dev.ramp.gateway.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.config.GatewayConfig;
import dev.ramp.gateway.demo.DemoUpstream;
import dev.ramp.gateway.routing.Buckets;
import dev.ramp.gateway.testing.PrometheusScrape;
import dev.ramp.gateway.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollout plans through the real gateway, with real upstreams, a real gate server and real traffic from a
 * fixed population of users: a plan steps itself to ready_to_promote without moving anyone back, a canary
 * that fails on step 2 is reverted and the plan aborted for good, operators drive the plan over the admin
 * API with the token, and a restart goes on at the step it was on.
 */
class RolloutIntegrationTest {
    static final String TOKEN = "test-token";

    @TempDir
    Path dir;

    Vertx vertx;
    DemoUpstream stable;
    DemoUpstream canary;
    int stablePort;
    int canaryPort;
    int gatePort;
    /** How the gate server answers: 200 while the budget of passes lasts, then 503. */
    final AtomicInteger gatePasses = new AtomicInteger(Integer.MAX_VALUE);
    final AtomicInteger gateAsks = new AtomicInteger();
    Gateway gateway;
    Users users;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void upstreams() throws Exception {
        vertx = Vertx.vertx();
        stable = new DemoUpstream("stable", "v1");
        canary = new DemoUpstream("canary", "v2");
        stablePort = stable.start(vertx, "127.0.0.1", 0).await(5, TimeUnit.SECONDS);
        canaryPort = canary.start(vertx, "127.0.0.1", 0).await(5, TimeUnit.SECONDS);
        gatePort = vertx.createHttpServer().requestHandler(req -> {
            gateAsks.incrementAndGet();
            req.response().setStatusCode(gatePasses.getAndDecrement() > 0 ? 200 : 503).end();
        }).listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS).actualPort();
    }

    @AfterEach
    void stop() throws Exception {
        if (users != null) {
            users.close();
        }
        if (gateway != null) {
            gateway.shutdown(Duration.ofSeconds(1));
        }
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    private GatewayConfig config(String canaryVersion, String rollout) {
        String route = TestConfigs.route("shop", stablePort, canaryPort, "0%",
                "expose-version-header = true\nfallback { enabled = false }\ncircuit-breaker { enabled = false }\n"
                // Only errors judge the canary here: on a shared 2-core machine both versions' latencies wander.
                + "guard { min-requests = 10, max-p99 = 60s, max-latency-increase = \"10000%\" }\n" + rollout).replace("version = \"v2\"", "version = \"" + canaryVersion + "\"");
        String plain = TestConfigs.route("plain", stablePort, canaryPort, "5%", "match { path-prefix = \"/plain\" }");
        return TestConfigs.load(dir, TestConfigs.gateway(dir, route + ", " + plain, ""));
    }

    private String gate() {
        return "\"http://127.0.0.1:" + gatePort + "/confirm\"";
    }

    private JsonObject rollout() {
        return status().getJsonObject("rollout");
    }

    private JsonObject status() {
        HttpResponse<String> r = send(HttpRequest.newBuilder(admin("/api/status?route=shop")).GET());
        assertThat(r.statusCode()).isEqualTo(200);
        return new JsonObject(r.body()).getJsonArray("routes").getJsonObject(0);
    }

    private JsonArray events() {
        return new JsonArray(send(HttpRequest.newBuilder(admin("/api/events")).GET()).body());
    }

    private List<JsonObject> events(String type) {
        List<JsonObject> out = new ArrayList<>();
        events().forEach(o -> {
            JsonObject e = (JsonObject) o;
            if (e.getString("type").equals(type)) {
                out.add(e);
            }
        });
        java.util.Collections.reverse(out); // oldest first
        return out;
    }

    private HttpResponse<String> post(String path, boolean withToken) {
        HttpRequest.Builder b = HttpRequest.newBuilder(admin(path)).POST(HttpRequest.BodyPublishers.noBody());
        if (withToken) {
            b.header("Authorization", "Bearer " + TOKEN);
        }
        return send(b);
    }

    private URI admin(String path) {
        return URI.create("http://127.0.0.1:" + gateway.adminPort() + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return http.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private PrometheusScrape scrape() {
        return PrometheusScrape.parse(send(HttpRequest.newBuilder(admin("/metrics")).GET()).body());
    }

    @Test
    void aThreeStepPlanStepsItselfToReadyToPromoteAndNobodyMovesBack() throws Exception {
        gateway = Gateway.start(config("v2", "rollout { steps = [\"10%\", \"50%\", \"100%\"], step-every = 1s, "
                + "min-requests = 15, gates = [" + gate() + "], promote-after = 1s }"));
        long t0 = System.nanoTime();
        users = Users.start(gateway.port(), 200, 100);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> "ready_to_promote".equals(rollout().getString("state")));
        long readyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        users.close();

        JsonObject r = rollout();
        assertThat(r.getInteger("step")).isEqualTo(3);
        assertThat(r.getJsonArray("steps").getList()).containsExactly("10%", "50%", "100%");
        assertThat(r.getString("weight")).isEqualTo("100%");
        assertThat(r.getString("nextStepAt")).isNull();
        assertThat(r.getString("promote")).contains("set stable { url = \"http://127.0.0.1:" + canaryPort
                + "\", version = \"v2\" }");
        assertThat(status().getString("effectiveWeight")).isEqualTo("100%");

        List<JsonObject> steps = events("rollout_step");
        assertThat(steps).extracting(e -> e.getJsonObject("details").getString("from") + "->"
                + e.getJsonObject("details").getString("to")).containsExactly("0%->10%", "10%->50%", "50%->100%");
        assertThat(steps).allSatisfy(e -> assertThat(e.getJsonObject("details").getString("by")).isEqualTo("plan"));
        // Each step up from a weight above 0% waited for its requests and a healthy guard.
        assertThat(steps.subList(1, 3)).allSatisfy(e -> {
            assertThat(e.getJsonObject("details").getLong("requests")).isGreaterThanOrEqualTo(15);
            assertThat(e.getJsonObject("details").getString("guard")).isEqualTo("healthy");
        });
        assertThat(gateAsks.get()).as("one gate ask per step up").isEqualTo(3);
        List<JsonObject> ready = events("rollout_ready_to_promote");
        assertThat(ready).hasSize(1);

        // Per-user version histories: once a user saw the canary, never stable again.
        Map<String, List<Users.Answer>> byUser = users.answers.stream()
                .collect(Collectors.groupingBy(Users.Answer::user));
        assertThat(byUser).hasSizeGreaterThanOrEqualTo(150);
        int movedBack = 0;
        int sawBoth = 0;
        for (List<Users.Answer> history : byUser.values()) {
            history.sort(Comparator.comparingLong(Users.Answer::sentNanos));
            boolean canarySeen = false;
            boolean stableSeen = false;
            for (Users.Answer a : history) {
                assertThat(a.status()).isEqualTo(200);
                if ("canary".equals(a.version())) {
                    canarySeen = true;
                } else if (canarySeen) {
                    movedBack++;
                } else {
                    stableSeen = true;
                }
            }
            sawBoth += canarySeen && stableSeen ? 1 : 0;
        }
        assertThat(movedBack).as("answers from stable after the canary, over all users").isZero();
        assertThat(sawBoth).as("users moved to the canary during the plan").isGreaterThan(100);

        PrometheusScrape m = scrape();
        assertThat(m.gauge("ramp_rollout_step_ratio", "route", "shop")).isEqualTo(1.0);
        assertThat(m.gauge("ramp_rollout_state", "route", "shop", "state", "ready_to_promote")).isEqualTo(1.0);
        assertThat(m.gauge("ramp_rollout_state", "route", "shop", "state", "progressing")).isEqualTo(0.0);
        assertThat(m.gauge("ramp_canary_weight_ratio", "route", "shop", "kind", "effective")).isEqualTo(1.0);
        assertThat(m.labelSets("ramp_rollout_step_ratio")).as("a route without a plan has no rollout series")
                .noneMatch(l -> "plain".equals(l.get("route")));

        // The timeline of this run, for the record.
        System.out.println("rollout timeline (ready after " + readyMs + " ms):");
        events().stream().map(o -> (JsonObject) o).filter(e -> e.getString("type").startsWith("rollout_"))
                .sorted(Comparator.comparing(e -> e.getString("at")))
                .forEach(e -> System.out.println("  " + e.getString("at") + " " + e.getString("type") + " "
                        + e.getString("message")));
    }

    @Test
    void aCanaryThatFailsOnStepTwoIsRevertedAndThePlanAbortsForGood() throws Exception {
        gatePasses.set(2); // the gate lets 0% -> 10% and 10% -> 50% go, then holds: the plan stays on step 2
        gateway = Gateway.start(config("v2", "rollout { steps = [\"10%\", \"50%\", \"100%\"], step-every = 1s, "
                + "min-requests = 15, gates = [" + gate() + "], promote-after = 1s }"));
        users = Users.start(gateway.port(), 200, 100);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> ("gate http://127.0.0.1:" + gatePort + "/confirm held the step: 503")
                        .equals(rollout().getString("reason")));
        JsonObject held = rollout();
        assertThat(held.getInteger("step")).isEqualTo(2);
        assertThat(held.getString("state")).isEqualTo("waiting_gate");
        assertThat(events("rollout_gate_held")).isNotEmpty();

        long failedAt = System.nanoTime();
        canary.fault(DemoUpstream.Fault.parse(new JsonObject("{\"mode\": \"status\", \"status\": 500}")));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> "aborted".equals(rollout().getString("state")));
        long abortedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - failedAt);
        System.out.println("canary failure to plan aborted: " + abortedMs + " ms");

        JsonObject r = rollout();
        assertThat(r.getString("reason")).startsWith("reverted");
        assertThat(r.getInteger("step")).as("the step it was aborted on").isEqualTo(2);
        assertThat(r.getString("weight")).isEqualTo("0%");
        assertThat(status().getString("state")).isEqualTo("reverted");
        assertThat(events("rollout_aborted")).hasSize(1);

        // Resuming the latch does not restart the plan: only a new canary does.
        assertThat(post("/api/routes/shop/resume", true).statusCode()).isEqualTo(200);
        assertThat(post("/api/routes/shop/rollout/continue", true).statusCode()).isEqualTo(409);
        long servedBefore = canary.served();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> "aborted".equals(rollout().getString("state")));
        assertThat(status().getString("effectiveWeight")).isEqualTo("0%");
        assertThat(canary.served()).as("no user reaches the aborted canary").isEqualTo(servedBefore);

        // A new canary version starts the plan again from its first step.
        canary.fault(DemoUpstream.Fault.parse(new JsonObject("{\"mode\": \"ok\"}")));
        gatePasses.set(Integer.MAX_VALUE);
        gateway.apply(config("v3", "rollout { steps = [\"10%\", \"50%\", \"100%\"], step-every = 1s, "
                + "min-requests = 15, gates = [" + gate() + "], promote-after = 1s }"));
        await().atMost(Duration.ofSeconds(10)).until(() -> rollout().getInteger("step") >= 1
                && !"aborted".equals(rollout().getString("state")));
        assertThat(events("rollout_started")).last()
                .satisfies(e -> assertThat(e.getJsonObject("details").getBoolean("newCanary")).isTrue());
    }

    @Test
    void operatorsPauseContinueStepAndAbortWithTheToken() throws Exception {
        gateway = Gateway.start(config("v2", "rollout { steps = [\"10%\", \"50%\", \"100%\"], step-every = 1h }"));
        await().atMost(Duration.ofSeconds(5)).until(() -> rollout().getInteger("step") == 1
                && rollout().getString("reason") != null);
        assertThat(rollout().getString("reason")).startsWith("on 10% until ");

        HttpResponse<String> anonymous = post("/api/routes/shop/rollout/pause", false);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(rollout().getString("state")).isEqualTo("progressing");
        assertThat(post("/api/routes/nope/rollout/pause", true).statusCode()).isEqualTo(404);
        HttpResponse<String> noPlan = post("/api/routes/plain/rollout/next", true);
        assertThat(noPlan.statusCode()).isEqualTo(409);
        assertThat(new JsonObject(noPlan.body()).getString("error")).isEqualTo("rollout_conflict");

        HttpResponse<String> paused = post("/api/routes/shop/rollout/pause", true);
        assertThat(paused.statusCode()).isEqualTo(200);
        JsonObject body = new JsonObject(paused.body());
        assertThat(body.getBoolean("changed")).isTrue();
        assertThat(body.getJsonObject("rollout").getString("state")).isEqualTo("paused");
        assertThat(new JsonObject(post("/api/routes/shop/rollout/pause", true).body()).getBoolean("changed")).isFalse();

        JsonObject next = new JsonObject(post("/api/routes/shop/rollout/next", true).body());
        assertThat(next.getJsonObject("rollout").getString("weight")).isEqualTo("50%");
        assertThat(next.getJsonObject("rollout").getString("state")).isEqualTo("paused");
        assertThat(next.getString("effectiveWeight")).isEqualTo("50%");

        JsonObject continued = new JsonObject(post("/api/routes/shop/rollout/continue", true).body());
        assertThat(continued.getJsonObject("rollout").getString("state")).isEqualTo("progressing");
        assertThat(continued.getJsonObject("rollout").getString("nextStepAt")).isNotNull();

        JsonObject aborted = new JsonObject(post("/api/routes/shop/rollout/abort", true).body());
        assertThat(aborted.getJsonObject("rollout").getString("state")).isEqualTo("aborted");
        assertThat(aborted.getString("effectiveWeight")).isEqualTo("0%");
        HttpResponse<String> again = post("/api/routes/shop/rollout/continue", true);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(new JsonObject(again.body()).getString("message")).contains("new canary");

        assertThat(events().stream().map(o -> ((JsonObject) o).getString("type"))
                .filter(t -> t.startsWith("rollout_")).toList())
                .containsSubsequence("rollout_aborted", "rollout_continued",
                        "rollout_step", "rollout_paused", "rollout_step", "rollout_started");
        assertThat(scrape().gauge("ramp_rollout_step_ratio", "route", "shop")).isZero();
        assertThat(scrape().gauge("ramp_rollout_state", "route", "shop", "state", "aborted")).isEqualTo(1.0);
    }

    @Test
    void aRestartGoesOnAtTheSameStepSinceTheSameTime() throws Exception {
        GatewayConfig config = config("v2", "rollout { steps = [\"10%\", \"50%\", \"100%\"], step-every = 1h }");
        gateway = Gateway.start(config);
        await().atMost(Duration.ofSeconds(5)).until(() -> rollout().getInteger("step") == 1);
        assertThat(post("/api/routes/shop/rollout/next", true).statusCode()).isEqualTo(200);
        JsonObject before = rollout();
        assertThat(before.getInteger("step")).isEqualTo(2);
        Path file = dir.resolve("state").resolve("rollouts").resolve("shop.json");
        assertThat(new JsonObject(Files.readString(file)).getInteger("weightBasisPoints")).isEqualTo(5000);
        gateway.shutdown(Duration.ofSeconds(1));

        gateway = Gateway.start(config);
        JsonObject after = rollout();
        assertThat(after.getInteger("step")).isEqualTo(2);
        assertThat(after.getString("weight")).isEqualTo("50%");
        assertThat(after.getString("state")).isEqualTo("progressing");
        assertThat(after.getString("stepStartedAt")).isEqualTo(before.getString("stepStartedAt"));
        assertThat(status().getString("effectiveWeight")).isEqualTo("50%");
        assertThat(events("rollout_started")).as("a restart does not start the plan again").isEmpty();

        // Traffic after the restart is split at the step's weight.
        users = Users.start(gateway.port(), 400, 100);
        await().atMost(Duration.ofSeconds(30)).until(() -> users.answers.size() >= 400);
        users.close();
        List<Users.Answer> answered = users.answers.stream().filter(a -> a.status() == 200).toList();
        assertThat(answered).hasSizeGreaterThan(300);
        assertThat(answered).allSatisfy(a -> assertThat(a.version()).as(a.user())
                .isEqualTo(Buckets.bucket("shop", a.user()) < 5000 ? "canary" : "stable"));
    }

    /** Users {@code u0..u<n-1>} sending GETs in turn at a fixed rate; every answer recorded with its user. */
    static final class Users implements AutoCloseable {
        record Answer(String user, long sentNanos, int status, String version) {}

        final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        private final AtomicLong sent = new AtomicLong();

        static Users start(int port, int count, int perSecond) {
            Users u = new Users();
            URI url = URI.create("http://127.0.0.1:" + port + "/");
            u.timer.scheduleAtFixedRate(() -> {
                String user = "u" + (u.sent.getAndIncrement() % count);
                long at = System.nanoTime();
                HttpRequest req = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5))
                        .header("X-User-Id", user).build();
                u.http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) ->
                        u.answers.add(new Answer(user, at, r == null ? -1 : r.statusCode(),
                                r == null ? null : r.headers().firstValue("X-Ramp-Version").orElse(null))));
            }, 0, 1_000_000L / perSecond, TimeUnit.MICROSECONDS);
            return u;
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }
}
