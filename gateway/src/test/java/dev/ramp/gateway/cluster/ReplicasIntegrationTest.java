package dev.ramp.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.demo.DemoUpstream;
import dev.ramp.gateway.testing.PacedLoad;
import dev.ramp.gateway.testing.PrometheusScrape;
import dev.ramp.gateway.testing.RedisProcess;
import dev.ramp.gateway.testing.TestBed;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.hawkular.agent.prometheus.types.Counter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three gateways (replicas) in this JVM sharing one real {@code redis-server}: a revert, kill switch or
 * resume on one is followed by all; a replica started later reads the shared state before it serves; Redis
 * killed and restarted (empty, or with its data) while the replicas serve. The resync period is 30 s here,
 * so every change seen within the test's bounds came by pub/sub or by the reconnection's catch-up.
 * Propagation times are printed for the record.
 */
class ReplicasIntegrationTest {
    static final String TOKEN = "test-token";
    static final Duration PROPAGATION = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    TestBed bed;
    RedisProcess redis;
    final List<Gateway> replicas = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        RedisProcess.assumeInstalled();
        bed = new TestBed(dir);
    }

    @AfterEach
    void stop() throws Exception {
        for (Gateway g : replicas) {
            g.shutdown(Duration.ofMillis(200));
        }
        if (redis != null) {
            redis.close();
        }
        if (bed != null) {
            bed.close();
        }
    }

    private String conf(String name, String redisUrl) {
        return "ramp {\n"
               + "  listen { host = \"127.0.0.1\", port = 0, event-loops = 1 }\n"
               + "  admin { host = \"127.0.0.1\", port = 0, token = \"" + TOKEN + "\" }\n"
               + "  state-dir = \"" + dir.resolve("state-" + name) + "\"\n"
               + "  shutdown-grace = 1s\n"
               + "  cluster { redis-url = \"" + redisUrl + "\", key-prefix = \"t1:\", resync-every = 30s,"
               + " retry-max = 200ms, replica-id = \"" + name + "\" }\n"
               + "  routes = [ { name = \"shop\", match { path-prefix = \"/\" }"
               + ", stable { url = \"http://127.0.0.1:" + bed.stablePort + "\", version = \"v1\" }"
               + ", canary { url = \"http://127.0.0.1:" + bed.canaryPort + "\", version = \"v2\" }"
               + ", weight = \"100%\", expose-version-header = true, fallback { enabled = false }, circuit-breaker { enabled = false }"
               + ", guard { consecutive-failures-to-revert = 5 } } ]\n"
               + "}\n";
    }

    private Gateway replica(String name) throws Exception {
        Gateway g = Gateway.start(bed.config(conf(name, redis.url())));
        replicas.add(g);
        return g;
    }

    private List<Gateway> three() throws Exception {
        redis = RedisProcess.start(dir.resolve("redis"));
        return List.of(replica("a"), replica("b"), replica("c"));
    }

    private static boolean reverted(Gateway g) {
        return g.snapshot().route("shop").reverted();
    }

    /** Which upstream served a request through {@code g}: "stable" or "canary". */
    private String servedBy(Gateway g) {
        HttpResponse<String> r = bed.get(TestBed.traffic(g, "/x"), "X-User-Id", "u1");
        return new JsonObject(r.body()).getString("version");
    }

    private HttpResponse<String> post(Gateway g, String path) {
        return bed.post(TestBed.admin(g, path), "Authorization", "Bearer " + TOKEN);
    }

    /** Waits until every replica is (or is not) reverted; the time it took, in ms. */
    private long awaitAll(List<Gateway> gs, boolean wanted) {
        long t0 = System.nanoTime();
        await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(5))
                .until(() -> gs.stream().allMatch(g -> reverted(g) == wanted));
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** The sum of a counter family's series; 0 when it has none yet. */
    private double sum(Gateway g, String family) {
        PrometheusScrape s = bed.scrape(g);
        return !s.has(family) ? 0 : s.family(family).getMetrics().stream()
                .mapToDouble(m -> ((Counter) m).getValue()).sum();
    }

    private List<String> eventTypes(Gateway g) {
        JsonArray events = new JsonArray(bed.get(TestBed.admin(g, "/api/events")).body());
        return IntStream.range(0, events.size()).mapToObj(i -> events.getJsonObject(i).getString("type")).toList();
    }

    @Test
    void oneReplicasGuardRevertingOnItsOwnTrafficRevertsEveryReplica() throws Exception {
        List<Gateway> gs = three();
        assertThat(gs).allMatch(g -> servedBy(g).equals("canary"));
        bed.canary.fault(DemoUpstream.Fault.parse(new JsonObject("{\"mode\":\"status\",\"status\":500}")));
        long t0 = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            servedBy(gs.get(0)); // the failing canary's traffic goes through replica a only
        }
        await().atMost(PROPAGATION).until(() -> reverted(gs.get(0)));
        long others = awaitAll(gs, true);
        System.out.printf("guard revert on a: b and c reverted %d ms after a (%d ms after the first failure)%n",
                others, (System.nanoTime() - t0) / 1_000_000);
        bed.canary.fault(DemoUpstream.Fault.parse(new JsonObject("{\"mode\":\"ok\"}")));
        assertThat(gs).allMatch(g -> servedBy(g).equals("stable"));
        for (Gateway g : gs.subList(1, 3)) {
            JsonObject route = new JsonObject(bed.get(TestBed.admin(g, "/api/status")).body()).getJsonArray("routes")
                    .getJsonObject(0);
            assertThat(route.getString("state")).isEqualTo("reverted");
            assertThat(route.getJsonObject("latch").getString("reason")).isEqualTo("consecutive_failures");
            assertThat(eventTypes(g)).contains("replica_revert").doesNotContain("revert");
            // Counted once, where the guard judged: the others do not inflate ramp_reverts_total.
            assertThat(sum(g, "ramp_reverts_total")).isZero();
        }
        assertThat(sum(gs.get(0), "ramp_reverts_total")).isEqualTo(1.0);
    }

    @Test
    void theKillSwitchOnOneReplicaAndAResumeOnAnotherReachEveryReplica() throws Exception {
        List<Gateway> gs = three();
        assertThat(post(gs.get(1), "/api/routes/shop/revert").statusCode()).isEqualTo(200);
        long reverted = awaitAll(gs, true);
        assertThat(gs).allMatch(g -> servedBy(g).equals("stable"));
        assertThat(post(gs.get(2), "/api/routes/shop/resume").statusCode()).isEqualTo(200);
        long resumed = awaitAll(gs, false);
        System.out.printf("kill switch on b: all reverted within %d ms; resume on c: all resumed within %d ms%n",
                reverted, resumed);
        assertThat(gs).allMatch(g -> servedBy(g).equals("canary"));
        assertThat(eventTypes(gs.get(0))).containsSubsequence("replica_resume", "replica_revert"); // newest first
    }

    @Test
    void aReplicaStartedLaterIsRevertedBeforeItsListenerOpens() throws Exception {
        List<Gateway> gs = three();
        post(gs.get(0), "/api/routes/shop/revert");
        awaitAll(gs, true);
        Gateway late = replica("d"); // an empty state-dir: only Redis knows
        // Checked as soon as start returns: no request could have reached the canary through it.
        assertThat(reverted(late)).isTrue();
        long canaryServedBefore = bed.canary.served();
        assertThat(servedBy(late)).isEqualTo("stable");
        assertThat(bed.canary.served()).isEqualTo(canaryServedBefore);
        assertThat(dir.resolve("state-d").resolve("shop.json")).exists(); // latched locally too
    }

    @Test
    void redisDownKeepsEveryReplicaServingAndReportsItThenARevertMadeMeanwhileReachesAllWhenItComesBackEmpty()
            throws Exception {
        List<Gateway> gs = three();
        redis.kill();
        for (Gateway g : gs) {
            await().atMost(PROPAGATION).until(() -> g.cluster().status().up() == false);
            HttpResponse<String> ready = bed.get(TestBed.admin(g, "/health/ready"));
            assertThat(ready.statusCode()).isEqualTo(200);
            JsonObject cluster = new JsonObject(ready.body()).getJsonObject("details").getJsonObject("cluster");
            assertThat(cluster.getString("redis")).isEqualTo("down");
            assertThat(bed.scrape(g).gauge("ramp_cluster_redis_up")).isZero();
            assertThat(eventTypes(g)).contains("cluster_down");
            assertThat(new JsonObject(bed.get(TestBed.admin(g, "/api/status")).body()).getJsonObject("cluster")
                    .getString("redis")).isEqualTo("down");
            assertThat(servedBy(g)).isEqualTo("canary"); // still serving, on the state it knew
        }
        assertThat(post(gs.get(1), "/api/routes/shop/revert").statusCode()).isEqualTo(200);
        assertThat(reverted(gs.get(0))).isFalse();
        redis.restart(); // empty: --save '' and no append-only file
        long caughtUp = awaitAll(gs, true);
        System.out.printf("Redis restarted empty: the revert made on b while it was down reached a and c in %d ms%n",
                caughtUp);
        for (Gateway g : gs) {
            await().atMost(PROPAGATION).until(() -> g.cluster().status().up());
            assertThat(eventTypes(g)).contains("cluster_up");
            assertThat(bed.scrape(g).gauge("ramp_cluster_redis_up")).isEqualTo(1.0);
        }
        assertThat(redis.command("HGET", "t1:routes:stamps", "shop")).contains(":b");
    }

    @Test
    void redisKilledAndRestartedEmptyWhileTrafficFlowsFailsNoRequestAndLiftsNoLatch() throws Exception {
        List<Gateway> gs = three();
        post(gs.get(2), "/api/routes/shop/revert");
        awaitAll(gs, true);
        List<PacedLoad> loads = gs.stream()
                .map(g -> PacedLoad.start(TestBed.traffic(g, "/x"), 40, Duration.ofSeconds(20))).toList();
        try {
            await().atMost(PROPAGATION).until(() -> loads.stream().allMatch(l -> l.answers.size() > 10));
            redis.kill();
            await().atMost(PROPAGATION).until(() -> gs.stream().noneMatch(g -> g.cluster().status().up()));
            redis.restart();
            await().atMost(PROPAGATION).until(() -> redis.command("HGET", "t1:routes:stamps", "shop").contains(":c"));
            await().atMost(PROPAGATION).until(() -> gs.stream().allMatch(g -> g.cluster().status().up()));
            int seen = loads.get(0).answers.size();
            await().atMost(PROPAGATION).until(() -> loads.get(0).answers.size() > seen + 10);
        } finally {
            loads.forEach(PacedLoad::close);
        }
        for (PacedLoad l : loads) {
            assertThat(l.answers).isNotEmpty().allSatisfy(a -> {
                assertThat(a.status()).isEqualTo(200);
                assertThat(a.version()).isEqualTo("stable");
            });
        }
        assertThat(gs).allMatch(ReplicasIntegrationTest::reverted);
        Gateway late = replica("d");
        assertThat(reverted(late)).isTrue();
        assertThat(sum(gs.get(0), "ramp_cluster_records_republished_total")
                   + sum(gs.get(1), "ramp_cluster_records_republished_total")
                   + sum(gs.get(2), "ramp_cluster_records_republished_total")).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void aRevertMadeWhileApartWinsOverAResumeMadeBefore() throws Exception {
        redis = RedisProcess.start(dir.resolve("redis"), true); // keeps its data across the kill
        List<Gateway> gs = List.of(replica("a"), replica("b"), replica("c"));
        post(gs.get(0), "/api/routes/shop/revert");
        awaitAll(gs, true);
        post(gs.get(1), "/api/routes/shop/resume");
        awaitAll(gs, false);
        redis.kill();
        await().atMost(PROPAGATION).until(() -> gs.stream().noneMatch(g -> g.cluster().status().up()));
        post(gs.get(2), "/api/routes/shop/revert"); // c alone, while apart
        assertThat(reverted(gs.get(0))).isFalse();
        redis.restart(); // comes back holding b's resume
        awaitAll(gs, true);
        await().atMost(PROPAGATION).until(() -> redis.command("HGET", "t1:routes:stamps", "shop").contains(":c"));
        assertThat(gs).allMatch(g -> servedBy(g).equals("stable"));
    }

    @Test
    void aReplicaStartsWithoutRedisOnItsOwnLatchesAndJoinsWhenRedisAppears() throws Exception {
        redis = RedisProcess.start(dir.resolve("redis"));
        Gateway a = replica("a");
        post(a, "/api/routes/shop/revert");
        redis.kill();
        Gateway b = replica("b"); // Redis gone: starts at once, on its (empty) state-dir
        assertThat(reverted(b)).isFalse();
        assertThat(b.cluster().status().up()).isFalse();
        assertThat(bed.get(TestBed.admin(b, "/health/ready")).statusCode()).isEqualTo(200);
        assertThat(servedBy(b)).isEqualTo("canary");
        redis.restart(); // empty; a writes its revert back, b hears it
        long joined = awaitAll(List.of(a, b), true);
        System.out.printf("a replica started while Redis was down followed a's revert %d ms after Redis returned%n",
                joined);
    }

    @Test
    void aChangeWhoseMessageWasMissedArrivesWithTheNextResync() throws Exception {
        redis = RedisProcess.start(dir.resolve("redis"));
        Gateway a = Gateway.start(bed.config(conf("a", redis.url()).replace("resync-every = 30s",
                "resync-every = 200ms")));
        replicas.add(a);
        Gateway b = replica("b"); // resync every 30 s: its write reaches a by pub/sub or by a's resync
        post(b, "/api/routes/shop/revert");
        awaitAll(List.of(a, b), true);
        // A record written without a message (as if the message was lost): a's periodic re-read finds it.
        String stamp = String.format("%016d:z", System.currentTimeMillis() + 1000);
        String record = new JsonObject().put("route", "shop").put("stamp", stamp).put("state", "resumed")
                .put("canaryUrl", "http://127.0.0.1:" + bed.canaryPort).put("canaryVersion", "v2").encode();
        redis.command("HSET", "t1:routes:values", "shop", record);
        redis.command("HSET", "t1:routes:stamps", "shop", stamp);
        await().atMost(PROPAGATION).until(() -> !reverted(a));
        assertThat(reverted(b)).isTrue(); // b re-reads only every 30 s
    }
}
