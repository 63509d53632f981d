package dev.ramp.loadtests;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fallback under load: while the canary answers 503, then resets connections, then refuses them, clients
 * sending GETs see no failure at all (the gateway retries a failed canary GET on stable).
 *
 * <p>Traffic: {@code ramp.fallback.rate} users per second, each with a fresh {@code X-User-Id} and
 * {@code ramp.fallback.requests} GETs on {@code ramp.fallback.path} (the {@code fallback} route of
 * ramp-loadtest.conf: 50 % canary and no guard, so the canary keeps receiving its share through every
 * phase instead of being reverted after the first). A second scenario flips the canary's fault switch
 * in sequence with HTTP calls: ok for {@code ramp.fallback.warmup}, then 503, reset and refuse for
 * {@code ramp.fallback.phase} each, then ok again. The fault calls show in the report as {@code fault: ...}.
 *
 * <p>Assertions: 0 % failed requests overall; and a {@link Verdict} that the canary really was hit while
 * it answered 503 (its own served counter rose), so the test cannot pass because no request reached it.
 * The 503 phase comes first on purpose: a circuit breaker may later skip the canary, which rescues users
 * just as well but would leave nothing to count.
 *
 * <p>Fails until fallback lands: the failing canary's answers (503, 502 for reset and refused) reach clients.
 */
public class FallbackSimulation extends Simulation {
    private static final Logger log = LoggerFactory.getLogger(FallbackSimulation.class);

    private final int rate = Ramp.integer("ramp.fallback.rate", 50);
    private final int requests = Ramp.integer("ramp.fallback.requests", 3);
    private final Duration warmup = Ramp.duration("ramp.fallback.warmup", "3s");
    private final Duration phase = Ramp.duration("ramp.fallback.phase", "3s");
    private final Duration recovery = Ramp.duration("ramp.fallback.recovery", "2s");
    private final String path = Ramp.string("ramp.fallback.path", "/fallback/items");

    /** The canary's served counter (GET /_demo/fault) when the 503 phase began and ended. */
    private final AtomicLong servedAt503Start = new AtomicLong(-1);
    private final AtomicLong servedAt503End = new AtomicLong(-1);

    private final HttpProtocolBuilder protocol = Ramp.protocol("fallback", Ramp.CONNECTIONS);

    private final Iterator<Map<String, Object>> ids = Ramp.uniqueIds(Ramp.runPrefix("fallback"));

    private final ScenarioBuilder traffic = scenario("GETs through the gateway")
            .feed(ids)
            .exec(repeat(requests).on(exec(http("GET through gateway").get(Ramp.GATEWAY_URL + path)
                    .header(Ramp.USER_HEADER, "#{uid}")
                    .check(status().is(200)))));

    private static ChainBuilder fault(String name, String json) {
        return exec(http("fault: " + name).post(Ramp.CANARY_FAULT_URL)
                .body(StringBody(json)).asJson()
                .check(status().is(200)));
    }

    private static ChainBuilder canaryServed(AtomicLong into) {
        return exec(http("fault: read canary counter").get(Ramp.CANARY_FAULT_URL)
                .check(status().is(200), jsonPath("$.served").ofLong().transform(n -> {
                    into.set(n);
                    return n;
                })));
    }

    private final ScenarioBuilder faults = scenario("canary fault switch")
            .exec(fault("canary ok", Ramp.FAULT_OK))
            .pause(warmup)
            .exec(canaryServed(servedAt503Start))
            .exec(fault("canary answers 503", Ramp.fault("status", 503)))
            .pause(phase)
            .exec(canaryServed(servedAt503End))
            .exec(fault("canary resets connections", Ramp.fault("reset", 200)))
            .pause(phase)
            .exec(fault("canary refuses connections", Ramp.fault("refuse", 200)))
            .pause(phase)
            .exec(fault("canary ok again", Ramp.FAULT_OK));

    private final Verdict canaryWasHit = Verdict.named("canary was hit while failing");

    private Verdict.Result canaryHit() {
        long start = servedAt503Start.get();
        long end = servedAt503End.get();
        long hit = end - start;
        return Verdict.Result.of(start >= 0 && end >= 0 && hit > 0, "the canary answered " + hit
                + " requests with 503 during the " + phase.toMillis() + " ms phase (users got none of them)");
    }

    @Override
    public void before() {
        try {
            Ramp.setCanaryFault(Ramp.FAULT_OK);
        } catch (Exception e) {
            throw new IllegalStateException("cannot reset the canary's fault switch at " + Ramp.CANARY_FAULT_URL + ": " + e, e);
        }
    }

    @Override
    public void after() {
        try {
            Ramp.setCanaryFault(Ramp.FAULT_OK); // whatever happened, leave the canary healthy for the next run
        } catch (Exception e) {
            log.warn("could not reset the canary's fault switch: {}", e.toString());
        }
    }

    {
        Duration total = warmup.plus(phase.multipliedBy(3)).plus(recovery);
        log.info("fallback: {} users/s x {} GETs on {}{} for {}; canary fails for {} each as 503, reset, refused",
                rate, requests, Ramp.GATEWAY_URL, path, total, phase);
        List<Assertion> assertions = new ArrayList<>();
        assertions.add(global().failedRequests().percent().is(0.0));
        assertions.addAll(canaryWasHit.assertions());
        setUp(
                traffic.injectOpen(constantUsersPerSec(rate).during(total))
                        .andThen(scenario("verdict").exec(canaryWasHit.request(this::canaryHit)).injectOpen(atOnceUsers(1))),
                faults.injectOpen(atOnceUsers(1)))
                .protocols(protocol)
                .maxDuration(total.plus(Ramp.SLACK))
                .assertions(assertions);
    }
}
