package dev.ramp.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.testing.RedisProcess;
import dev.ramp.gateway.testing.TestBed;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rollout plan across two replicas sharing one real {@code redis-server}: one replica (the holder of the
 * {@code rollouts} lease) steps the plan, the other serves the weight it publishes; when the stepping
 * replica stops, the other takes over from the step reached, never going back.
 */
class RolloutReplicasTest {
    @TempDir
    Path dir;
    TestBed bed;
    RedisProcess redis;
    final List<Gateway> replicas = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        RedisProcess.assumeInstalled();
        bed = new TestBed(dir);
        redis = RedisProcess.start(dir.resolve("redis"));
    }

    @AfterEach
    void stop() throws Exception {
        for (Gateway g : replicas) {
            g.shutdown(Duration.ofMillis(200));
        }
        redis.close();
        bed.close();
    }

    private Gateway replica(String name, String stepEvery) throws Exception {
        return replica(name, "[\"10%\", \"25%\", \"50%\", \"75%\", \"100%\"]", stepEvery, 0);
    }

    private Gateway replica(String name, String steps, String stepEvery, int minRequests) throws Exception {
        Gateway g = Gateway.start(bed.config("ramp {\n"
               + "  listen { host = \"127.0.0.1\", port = 0, event-loops = 1 }\n"
               + "  admin { host = \"127.0.0.1\", port = 0, token = \"t\" }\n"
               + "  state-dir = \"" + dir.resolve("state-" + name) + "\"\n"
               + "  shutdown-grace = 1s\n"
               + "  cluster { redis-url = \"" + redis.url() + "\", key-prefix = \"r1:\", resync-every = 30s,"
               + " retry-max = 200ms, replica-id = \"" + name + "\" }\n"
               + "  routes = [ { name = \"shop\""
               + ", stable { url = \"http://127.0.0.1:" + bed.stablePort + "\", version = \"v1\" }"
               + ", canary { url = \"http://127.0.0.1:" + bed.canaryPort + "\", version = \"v2\" }"
               + ", weight = \"0%\", guard { enabled = false }"
               + ", rollout { steps = " + steps + ", step-every = " + stepEvery
               + ", min-requests = " + minRequests + ", promote-after = 1h } } ]\n"
               + "}\n"));
        replicas.add(g);
        return g;
    }

    private JsonObject rollout(Gateway g) {
        JsonArray routes = new JsonObject(bed.get(TestBed.admin(g, "/api/status")).body()).getJsonArray("routes");
        return routes.getJsonObject(0).getJsonObject("rollout");
    }

    private static int weight(JsonObject rollout) {
        return (int) Math.round(Double.parseDouble(rollout.getString("weight").replace("%", "")));
    }

    private long steps(Gateway g) {
        return new JsonArray(bed.get(TestBed.admin(g, "/api/events")).body()).stream()
                .map(o -> ((JsonObject) o).getString("type")).filter("rollout_step"::equals).count();
    }

    @Test
    void oneReplicaStepsThePlanTheOtherFollowsAndTakesOverWhenItStops() throws Exception {
        Gateway a = replica("a", "700ms");
        Gateway b = replica("b", "700ms");

        await().atMost(Duration.ofSeconds(15)).until(() -> weight(rollout(a)) >= 50);
        await("the other replica serves the same weight").atMost(Duration.ofSeconds(3))
                .until(() -> weight(rollout(b)) == weight(rollout(a)));
        long stepsA = steps(a);
        long stepsB = steps(b);
        assertThat(stepsA == 0 || stepsB == 0).as("one replica stepped the plan (a: %d steps, b: %d)", stepsA, stepsB)
                .isTrue();
        assertThat(stepsA + stepsB).isGreaterThanOrEqualTo(3);

        Gateway leader = stepsA > 0 ? a : b;
        Gateway follower = leader == a ? b : a;
        int reached = weight(rollout(follower));
        leader.shutdown(Duration.ofMillis(200));
        replicas.remove(leader);
        // The lease expires (10 s) and the follower goes on from the step reached, never back.
        List<Integer> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonObject r = rollout(follower);
            seen.add(weight(r));
            return "ready_to_promote".equals(r.getString("state")) || weight(r) == 100;
        });
        assertThat(seen).allMatch(w -> w >= reached);
        assertThat(steps(follower)).as("the follower stepped on its own once it held the lease").isPositive();
    }

    @Test
    void theSteppingReplicaCountsTheCanaryRequestsTheOthersServed() throws Exception {
        Gateway a = replica("a", "[\"10%\", \"100%\"]", "300ms", 20);
        Gateway b = replica("b", "[\"10%\", \"100%\"]", "300ms", 20);
        await().atMost(Duration.ofSeconds(10)).until(() -> steps(a) + steps(b) == 1); // 0 -> 10 % at once
        Gateway leader = steps(a) == 1 ? a : b;
        Gateway other = leader == a ? b : a;
        Thread.sleep(1500);
        assertThat(weight(rollout(leader))).as("no canary requests yet: the plan holds its first step").isEqualTo(10);

        for (int i = 0; i < 600; i++) { // about 60 canary requests at 10 %, all through the other replica
            bed.get(TestBed.traffic(other, "/x"), "X-User-Id", "user-" + i);
        }

        await().atMost(Duration.ofSeconds(15)).until(() -> weight(rollout(leader)) == 100);
        JsonObject step = new JsonArray(bed.get(TestBed.admin(leader, "/api/events")).body()).stream()
                .map(o -> (JsonObject) o).filter(e -> "rollout_step".equals(e.getString("type")))
                .filter(e -> e.getJsonObject("details").getString("to").equals("100%")).findFirst().orElseThrow();
        assertThat(step.getJsonObject("details").getLong("requests"))
                .as("the step counted the other replica's canary requests").isGreaterThanOrEqualTo(20);
    }
}
