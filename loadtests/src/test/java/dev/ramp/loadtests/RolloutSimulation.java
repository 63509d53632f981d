package dev.ramp.loadtests;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.during;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole rollout plan under load: the {@code rollout} route of ramp-loadtest.conf (a 3-step plan, 10 % ->
 * 50 % -> 100 %, 5 s and 100 canary requests a step, ready to promote 5 s after 100 %) steps itself while a
 * fixed population of {@code ramp.rollout.users} users sends {@code ramp.rollout.rate} GETs a second. When the
 * plan is ready to promote, the canary starts failing (every answer a 500); the guard reverts it and the plan
 * aborts.
 *
 * <p>Reported: the time on each step (from {@code GET /api/status}, polled every {@code ramp.rollout.poll}),
 * and the time from the canary's failure to the revert seen in the status, then to the plan's abort.
 * Verdicts: the plan reached ready_to_promote within {@code ramp.rollout.duration}; no user got stable after
 * the canary (steps only go up); the revert was seen within {@code ramp.rollout.max} (2 s) of the failure.
 *
 * <p>Needs a gateway whose plan has not run yet (an aborted plan restarts only with a new canary):
 * {@code loadtests/run.sh rollout} starts one with a fresh state dir. {@code after()} heals the canary and
 * resumes the route.
 */
public class RolloutSimulation extends Simulation {
    private static final Logger log = LoggerFactory.getLogger(RolloutSimulation.class);
    private static final String ROUTE = Ramp.string("ramp.rollout.route", "rollout");

    private final int rate = Ramp.integer("ramp.rollout.rate", 100);
    private final int users = Ramp.integer("ramp.rollout.users", 500);
    private final Duration duration = Ramp.duration("ramp.rollout.duration", "45s");
    private final Duration max = Ramp.duration("ramp.rollout.max", "2s");
    private final Duration poll = Ramp.duration("ramp.rollout.poll", "100ms");
    private final String path = Ramp.string("ramp.rollout.path", "/rollout");

    private final long startedAt = System.currentTimeMillis();
    /** Each step the status showed: "step weight" and when it was first seen (ms since the start). */
    private final List<String> timeline = new CopyOnWriteArrayList<>();
    private volatile String lastStep = "";
    private final AtomicLong lastStepAt = new AtomicLong();
    private final AtomicLong readyAt = new AtomicLong();
    private final AtomicLong flipAt = new AtomicLong();
    private final AtomicLong revertedAt = new AtomicLong();
    private final AtomicLong abortedAt = new AtomicLong();
    private volatile String lastRollout = "(never polled)";
    /** Users who got the canary; one of them getting stable later moved back. */
    private final Map<String, Boolean> onCanary = new ConcurrentHashMap<>();
    private final LongAdder movedBack = new LongAdder();
    private final LongAdder canaryAnswers = new LongAdder();

    private final HttpProtocolBuilder protocol = Ramp.protocol("rollout", Ramp.CONNECTIONS);
    private final AtomicLong next = new AtomicLong();
    private final String prefix = Ramp.runPrefix("rollout");
    private final Iterator<Map<String, Object>> ids = new Iterator<>() {
        @Override
        public boolean hasNext() {
            return true;
        }

        @Override
        public Map<String, Object> next() {
            return Map.of("uid", prefix + "-u" + (next.getAndIncrement() % users));
        }
    };

    private void observe(String user, String version) {
        if ("canary".equals(version)) {
            canaryAnswers.increment();
            onCanary.put(user, true);
        } else if ("stable".equals(version) && onCanary.containsKey(user) && flipAt.get() == 0) {
            // Until the canary is broken on purpose; after that the revert sends everyone to stable, as it should.
            movedBack.increment();
        }
    }

    private final ScenarioBuilder traffic = scenario("GETs through the planned route")
            .feed(ids)
            .exec(http("GET through gateway").get(Ramp.GATEWAY_URL + path)
                    .header(Ramp.USER_HEADER, "#{uid}")
                    .transformResponse((response, session) -> {
                        observe(session.getString("uid"), response.headers().get(Ramp.VERSION_HEADER));
                        return response;
                    }));

    private void observeStatus(String body) {
        Optional<JsonNode> route = Ramp.routeIn(body, ROUTE);
        long now = System.currentTimeMillis();
        if (route.isEmpty() || route.get().path("rollout").isNull() || route.get().path("rollout").isMissingNode()) {
            lastRollout = "(route " + ROUTE + " has no rollout plan)";
            return;
        }
        JsonNode r = route.get().path("rollout");
        lastRollout = r.toString();
        String step = "step " + r.path("step").asInt() + " at " + r.path("weight").asText() + " (" + r.path("state").asText() + ")";
        if (!step.equals(lastStep)) {
            long since = lastStepAt.getAndSet(now);
            if (!lastStep.isEmpty()) {
                timeline.add(String.format("%6d ms  %s for %d ms", since - startedAt, lastStep, now - since));
            }
            lastStep = step;
        }
        String state = r.path("state").asText();
        if ("ready_to_promote".equals(state) && readyAt.compareAndSet(0, now)) {
            flip();
        }
        if (flipAt.get() != 0 && revertedAt.get() == 0 && "reverted".equals(route.get().path("state").asText())) {
            revertedAt.set(now);
        }
        if (flipAt.get() != 0 && abortedAt.get() == 0 && "aborted".equals(state)) {
            abortedAt.set(now);
        }
    }

    private void flip() {
        try {
            flipAt.set(System.currentTimeMillis());
            Ramp.setCanaryFault(Ramp.fault("status", 500));
            log.info("plan ready to promote after {} ms: the canary now answers 500", flipAt.get() - startedAt);
        } catch (Exception e) {
            log.error("cannot flip the canary's fault switch: {}", e.toString());
        }
    }

    private final ScenarioBuilder statusPoller = scenario("admin status poller")
            .exec(during(duration).on(
                    exec(http("admin: GET /api/status").get(Ramp.ADMIN_URL + "/api/status?route=" + ROUTE)
                            .check(status().is(200), bodyString().transform(b -> {
                                observeStatus(b);
                                return b;
                            })))
                            .pause(poll)));

    private final Verdict ready = Verdict.named("the plan reached ready_to_promote by itself");
    private final Verdict monotone = Verdict.named("no user moved back from the canary while the plan ran");
    private final Verdict reverted = Verdict.named("the failing canary was reverted within " + max.toMillis() + " ms");

    private Verdict.Result wasReady() {
        long at = readyAt.get();
        return Verdict.Result.of(at != 0, at == 0 ? "never ready; last rollout status: " + lastRollout
                : "ready after " + (at - startedAt) + " ms; steps:\n" + String.join("\n", timeline));
    }

    private Verdict.Result wasMonotone() {
        return Verdict.Result.of(movedBack.sum() == 0 && canaryAnswers.sum() > 0, movedBack.sum()
                + " answers from stable to users who had had the canary (" + onCanary.size() + " of " + users
                + " users got the canary, " + canaryAnswers.sum() + " canary answers)");
    }

    private Verdict.Result wasReverted() {
        long flip = flipAt.get();
        long rev = revertedAt.get();
        long ab = abortedAt.get();
        String text = flip == 0 ? "the canary was never broken (the plan never became ready)"
                : rev == 0 ? "no status said reverted after the failure; last rollout status: " + lastRollout
                : "reverted " + (rev - flip) + " ms after the canary failed, plan aborted "
                  + (ab == 0 ? "(never seen)" : (ab - flip) + " ms after it");
        return Verdict.Result.of(flip != 0 && rev != 0 && ab != 0 && rev - flip <= max.toMillis(), text);
    }

    @Override
    public void before() {
        try {
            Ramp.setCanaryFault(Ramp.FAULT_OK);
            Optional<JsonNode> r = Ramp.routeStatus(ROUTE);
            String state = r.map(x -> x.path("rollout").path("state").asText()).orElse("");
            if (!"progressing".equals(state) && !"waiting_gate".equals(state)) {
                throw new IllegalStateException("route " + ROUTE + "'s plan is " + (state.isEmpty() ? "missing" : state)
                        + " (expected: a fresh plan; start the gateway with an empty state dir, as loadtests/run.sh does)");
            }
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + Ramp.ADMIN_URL + "/api/status: " + e, e);
        }
    }

    @Override
    public void after() {
        timeline.add(String.format("%6d ms  %s (last seen)", lastStepAt.get() - startedAt, lastStep));
        log.info("rollout timeline:\n{}", String.join("\n", timeline));
        log.info("{}", wasReverted().description());
        try {
            Ramp.setCanaryFault(Ramp.FAULT_OK);
            Ramp.adminPost(ROUTE, "resume");
        } catch (Exception e) {
            log.warn("after: {}", e.toString());
        }
    }

    {
        log.info("rollout: {} req/s from {} users through {}{} (route {}) for at most {}; the canary fails once the plan "
                 + "is ready to promote and must be reverted within {}; its 500s until then show as errors: expected",
                rate, users, Ramp.GATEWAY_URL, path, ROUTE, duration, max);
        List<Assertion> assertions = new ArrayList<>();
        assertions.addAll(ready.assertions());
        assertions.addAll(monotone.assertions());
        assertions.addAll(reverted.assertions());
        setUp(
                traffic.injectOpen(constantUsersPerSec(rate).during(duration))
                        .andThen(scenario("verdict")
                                .exec(ready.request(this::wasReady))
                                .exec(monotone.request(this::wasMonotone))
                                .exec(reverted.request(this::wasReverted))
                                .injectOpen(atOnceUsers(1))),
                statusPoller.injectOpen(atOnceUsers(1)))
                .protocols(protocol)
                .maxDuration(duration.plus(Ramp.SLACK))
                .assertions(assertions);
    }
}
