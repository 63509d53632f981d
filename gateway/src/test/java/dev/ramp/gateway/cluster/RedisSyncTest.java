package dev.ramp.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ramp.gateway.config.ClusterSettings;
import dev.ramp.gateway.events.EventLog;
import dev.ramp.gateway.state.ReplicaSync;
import dev.ramp.gateway.testing.RedisProcess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RedisSync}'s rollout-progress slot and leases between replicas on a real {@code redis-server}
 * (the revert records are covered through whole gateways by {@link ReplicasIntegrationTest}).
 */
class RedisSyncTest {
    @TempDir
    Path dir;

    RedisProcess redis;
    final List<Vertx> vertxes = new ArrayList<>();
    final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void redis() {
        redis = RedisProcess.start(dir);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        for (Vertx v : vertxes) {
            v.close().await(5, TimeUnit.SECONDS);
        }
        redis.close();
    }

    private ClusterSettings settings(String prefix) {
        return new ClusterSettings(Optional.of(URI.create(redis.url())), prefix, Duration.ofSeconds(30),
                Duration.ofMillis(200), "");
    }

    private RedisSync sync(String replica, String prefix, Clock clock) throws Exception {
        Vertx vertx = Vertx.vertx();
        vertxes.add(vertx);
        RedisSync s = RedisSync.create(vertx, settings(prefix), replica, new SimpleMeterRegistry(), EventLog.of(),
                clock);
        open.add(s);
        s.start().await(5, TimeUnit.SECONDS);
        return s;
    }

    @Test
    void rolloutProgressWrittenByOneReplicaReachesTheOthersAndTheLaterStampWins() throws Exception {
        RedisSync a = sync("a", "p:", Clock.systemUTC());
        RedisSync b = sync("b", "p:", Clock.systemUTC());
        Map<String, JsonObject> heard = new ConcurrentHashMap<>();
        b.listen(new ReplicaSync.Listener() {
            @Override
            public void route(dev.ramp.gateway.state.RouteRecord record) {}

            @Override
            public void progress(String route, JsonObject progress) {
                heard.put(route, progress);
            }
        });
        a.progress("shop", new JsonObject().put("step", 2));
        await().atMost(Duration.ofSeconds(2)).until(() -> heard.containsKey("shop"));
        assertThat(heard.get("shop").getInteger("step")).isEqualTo(2);
        b.progress("shop", new JsonObject().put("step", 3));
        await().atMost(Duration.ofSeconds(2)).until(() -> a.latestProgress("shop")
                .map(p -> p.getInteger("step") == 3).orElse(false));
        // A third replica starting now reads the latest, not the first.
        RedisSync c = sync("c", "p:", Clock.systemUTC());
        assertThat(c.latestProgress("shop")).hasValueSatisfying(p -> assertThat(p.getInteger("step")).isEqualTo(3));
    }

    @Test
    void twoGatewaysWithDifferentKeyPrefixesShareOneRedisWithoutSeeingEachOther() throws Exception {
        RedisSync a = sync("a", "one:", Clock.systemUTC());
        RedisSync b = sync("b", "two:", Clock.systemUTC());
        a.progress("shop", new JsonObject().put("step", 1));
        await().atMost(Duration.ofSeconds(2)).until(() -> redis.command("HGET", "one:progress:stamps", "shop")
                .contains(":a"));
        assertThat(b.latestProgress("shop")).isEmpty();
        assertThat(redis.command("EXISTS", "two:progress:stamps")).contains(":0");
    }

    @Test
    void aLeaseIsHeldByOneReplicaAtATimeAndPassesOnWhenItsHolderCloses() throws Exception {
        RedisSync a = sync("a", "l:", Clock.systemUTC());
        RedisSync b = sync("b", "l:", Clock.systemUTC());
        ReplicaSync.Lease la = a.lease("rollout", Duration.ofMillis(600));
        await().atMost(Duration.ofSeconds(2)).until(la::held);
        ReplicaSync.Lease lb = b.lease("rollout", Duration.ofMillis(600));
        // Renewed every 200 ms: b never gets it while a holds it, over several ttls.
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> la.held() && !lb.held());
        la.close();
        await().atMost(Duration.ofSeconds(2)).until(lb::held);
        assertThat(la.held()).isFalse();
    }

    @Test
    void aDeadHoldersLeaseExpiresAndAnotherReplicaTakesIt() throws Exception {
        Vertx dying = Vertx.vertx();
        RedisLease dead = RedisLease.open(Redis.createClient(dying, redis.url()), dying.getOrCreateContext(),
                "d:lease:rollout", "dead", Duration.ofMillis(500), Clock.systemUTC());
        await().atMost(Duration.ofSeconds(2)).until(dead::held);
        dying.close().await(5, TimeUnit.SECONDS); // stops renewing without releasing, as a crash would
        RedisSync b = sync("b", "d:", Clock.systemUTC());
        ReplicaSync.Lease lb = b.lease("rollout", Duration.ofMillis(500));
        await().atMost(Duration.ofSeconds(3)).until(lb::held);
        assertThat(redis.command("GET", "d:lease:rollout")).contains("b");
    }

    @Test
    void aHolderCutOffFromRedisStopsHoldingAtTheLeasesExpiryByItsOwnClock() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-02T12:00:00Z"));
        RedisSync a = sync("a", "c:", clock);
        ReplicaSync.Lease la = a.lease("rollout", Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(2)).until(la::held);
        redis.kill();
        await().atMost(Duration.ofSeconds(2)).until(() -> !a.status().up());
        clock.advance(Duration.ofSeconds(9));
        assertThat(la.held()).isTrue(); // within the ttl of the last renewal: Redis keeps the key as long
        clock.advance(Duration.ofSeconds(2));
        assertThat(la.held()).isFalse();
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
