package dev.ramp.loadtests;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three replicas sharing one Redis (loadtests/replicas.sh starts them): traffic through each, then the kill
 * switch pressed on the second replica, Redis killed and restarted empty while the route is reverted, and
 * a resume on the third replica.
 *
 * <p>Verdicts: no request failed on any replica; of the requests sent more than {@code ramp.replicas.max}
 * (2 s) after the kill switch answered, none was served by the canary on any replica, including while Redis
 * was away or empty (the latch held); after the resume answered, every replica served the canary again to a
 * request sent within {@code ramp.replicas.max}. Times are the load generator's send times, so on a loaded
 * machine they include its own queueing; the replicas' logs and {@code ramp_cluster_propagation_seconds}
 * give the gateway's side.
 */
public class ReplicasSimulation extends Simulation {
    private static final Logger log = LoggerFactory.getLogger(ReplicasSimulation.class);

    private final List<String> gateways = Arrays.asList(Ramp.string("ramp.replicas.gateways",
            "http://127.0.0.1:18080,http://127.0.0.1:18081,http://127.0.0.1:18082").split(","));
    private final List<String> admins = Arrays.asList(Ramp.string("ramp.replicas.admins",
            "http://127.0.0.1:19901,http://127.0.0.1:19902,http://127.0.0.1:19903").split(","));
    private final int rate = Ramp.integer("ramp.replicas.rate", 20);
    private final Duration warmup = Ramp.duration("ramp.replicas.warmup", "6s");
    private final Duration step = Ramp.duration("ramp.replicas.step", "3s");
    private final Duration max = Ramp.duration("ramp.replicas.max", "2s");
    private final int redisPort = Ramp.integer("ramp.replicas.redisPort", 16379);
    private final Path redisPidFile = Path.of(Ramp.string("ramp.replicas.redisPidFile", "loadtests/target/redis.pid"));
    /**
     * Traffic goes on for the operator's three steps and five more: on a loaded machine the operator's calls
     * (and Redis's restart) take seconds of their own, and the resume must still meet traffic.
     */
    private final Duration total = warmup.plus(step.multipliedBy(8));

    private final int n = gateways.size();
    private final AtomicLong revertAt = new AtomicLong();
    private final AtomicLong redisKilledAt = new AtomicLong();
    private final AtomicLong resumeAt = new AtomicLong();
    /** When the resume was sent: from then on a canary answer is no longer a lifted latch. */
    private final AtomicLong resumeSentAt = new AtomicLong();
    private final AtomicLong[] lastCanaryBeforeResume = newLongs();
    private final AtomicLong[] firstCanaryAfterResume = newLongs();
    private final LongAdder[] canaryWhileReverted = newAdders();
    private final LongAdder[] failures = newAdders();
    private final LongAdder[] responses = newAdders();
    private final HttpClient admin = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final HttpProtocolBuilder protocol = Ramp.protocol("replicas", Ramp.CONNECTIONS);

    private AtomicLong[] newLongs() {
        AtomicLong[] a = new AtomicLong[gateways.size()];
        Arrays.setAll(a, i -> new AtomicLong());
        return a;
    }

    private LongAdder[] newAdders() {
        LongAdder[] a = new LongAdder[gateways.size()];
        Arrays.setAll(a, i -> new LongAdder());
        return a;
    }

    /**
     * One answer; {@code sent} is when its request was sent (epoch ms): on a loaded machine answers may
     * take seconds, and what the replica decided is when it routed the request, not when the answer came.
     */
    private void observe(int replica, long sent, String version, int status) {
        long now = sent;
        responses[replica].increment();
        if (status / 100 != 2) {
            failures[replica].increment();
        }
        if (!"canary".equals(version)) {
            return;
        }
        long resumed = resumeSentAt.get();
        if (resumed == 0 || now < resumed) {
            lastCanaryBeforeResume[replica].accumulateAndGet(now, Math::max);
            long reverted = revertAt.get();
            if (reverted != 0 && now > reverted + max.toMillis()) {
                canaryWhileReverted[replica].increment();
            }
        } else if (resumeAt.get() != 0) {
            firstCanaryAfterResume[replica].compareAndSet(0, now);
        }
    }

    private ScenarioBuilder traffic(int replica) {
        Iterator<Map<String, Object>> ids = Ramp.uniqueIds(Ramp.runPrefix("replica" + replica));
        return scenario("GETs through replica " + (replica + 1))
                .feed(ids)
                .exec(session -> session.set("sent", System.currentTimeMillis()))
                .exec(http("GET through replica " + (replica + 1)).get(gateways.get(replica) + "/replicas")
                        .header(Ramp.USER_HEADER, "#{uid}")
                        .transformResponse((response, session) -> {
                            observe(replica, session.getLong("sent"), response.headers().get(Ramp.VERSION_HEADER),
                                    response.status().code());
                            return response;
                        }));
    }

    private int post(int replica, String action) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(admins.get(replica) + "/api/routes/" + Ramp.ROUTE
                    + "/" + action)).POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(20));
            Ramp.adminToken().ifPresent(t -> b.header("Authorization", "Bearer " + t));
            return admin.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new IllegalStateException("POST " + action + " to replica " + (replica + 1) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void killRedis() {
        try {
            long pid = Long.parseLong(Files.readString(redisPidFile).trim());
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            redisKilledAt.set(System.currentTimeMillis());
            log.info("Redis (pid {}) killed", pid);
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot kill Redis from " + redisPidFile + ": " + e, e);
        }
    }

    private void restartRedis() {
        try {
            Process p = new ProcessBuilder("redis-server", "--port", String.valueOf(redisPort), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--daemonize", "yes", "--pidfile",
                    redisPidFile.toAbsolutePath().toString(), "--logfile",
                    redisPidFile.toAbsolutePath().resolveSibling("redis.log").toString()).inheritIO().start();
            p.waitFor();
            log.info("Redis restarted empty on port {}", redisPort);
        } catch (IOException e) {
            throw new IllegalStateException("cannot restart Redis: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final ScenarioBuilder operator = scenario("operator and Redis")
            .pause(warmup)
            .exec(session -> {
                int status = post(1, "revert");
                revertAt.set(System.currentTimeMillis()); // answered: replica 2 has applied it
                log.info("kill switch on replica 2: {}", status);
                return session;
            })
            .pause(step)
            .exec(session -> {
                killRedis();
                return session;
            })
            .pause(step)
            .exec(session -> {
                restartRedis();
                return session;
            })
            .pause(step)
            .exec(session -> {
                resumeSentAt.set(System.currentTimeMillis());
                int status = post(2, "resume");
                resumeAt.set(System.currentTimeMillis());
                log.info("resume on replica 3: {}", status);
                return session;
            });

    private final Verdict noFailures = Verdict.named("no request failed on any replica");
    private final Verdict revertReachedAll = Verdict.named("every replica stopped the canary within " + max.toMillis()
            + " ms of the kill switch on replica 2, and served none while Redis was away or empty");
    private final Verdict resumeReachedAll = Verdict.named("every replica served the canary again within "
            + max.toMillis() + " ms of the resume on replica 3");

    private Verdict.Result failures() {
        StringBuilder text = new StringBuilder();
        long all = 0;
        for (int i = 0; i < n; i++) {
            all += failures[i].sum();
            text.append(String.format("replica %d: %d failed of %d; ", i + 1, failures[i].sum(), responses[i].sum()));
        }
        return Verdict.Result.of(all == 0 && Arrays.stream(responses).allMatch(r -> r.sum() > 0), text.toString());
    }

    private Verdict.Result reverted() {
        long at = revertAt.get();
        boolean ok = at != 0;
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            long took = Math.max(0, lastCanaryBeforeResume[i].get() - at);
            ok &= took <= max.toMillis() && canaryWhileReverted[i].sum() == 0;
            text.append(String.format("replica %d: last canary answer to a request sent %d ms after the kill switch, %d after the bound; ",
                    i + 1, took, canaryWhileReverted[i].sum()));
        }
        return Verdict.Result.of(ok && redisKilledAt.get() != 0, text.toString());
    }

    private Verdict.Result resumed() {
        long at = resumeAt.get();
        boolean ok = at != 0;
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            long first = firstCanaryAfterResume[i].get();
            ok &= first != 0 && first - at <= max.toMillis();
            text.append(String.format("replica %d: first canary answer to a request sent %s after the resume; ", i + 1,
                    first == 0 ? "never" : (first - at) + " ms"));
        }
        return Verdict.Result.of(ok, text.toString());
    }

    {
        if (gateways.size() != admins.size()) {
            throw new IllegalArgumentException("ramp.replicas.gateways and ramp.replicas.admins: as many of each");
        }
        log.info("replicas: {} req/s through each of {}, kill switch after {}, Redis killed and restarted empty, "
                 + "resume; steps of {}", rate, gateways, warmup, step);
        List<PopulationBuilder> populations = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            populations.add(traffic(i).injectOpen(constantUsersPerSec(rate).during(total)));
        }
        // The verdicts once the traffic has ended (answers in flight included) and the operator is done.
        populations.set(0, populations.get(0).andThen(scenario("verdict")
                .exec(noFailures.request(this::failures))
                .exec(revertReachedAll.request(this::reverted))
                .exec(resumeReachedAll.request(this::resumed))
                .injectOpen(atOnceUsers(1))));
        populations.add(operator.injectOpen(atOnceUsers(1)));
        List<Assertion> assertions = new ArrayList<>();
        assertions.addAll(noFailures.assertions());
        assertions.addAll(revertReachedAll.assertions());
        assertions.addAll(resumeReachedAll.assertions());
        setUp(populations).protocols(protocol).maxDuration(total.plus(Ramp.SLACK)).assertions(assertions);
    }
}
