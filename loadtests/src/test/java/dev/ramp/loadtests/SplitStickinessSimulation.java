package dev.ramp.loadtests;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.status;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.headerRegex;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.CheckBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Split and stickiness under load.
 *
 * <ul>
 *   <li>After {@code ramp.split.warmup} of uncounted traffic (JIT), {@code ramp.split.users} users with
 *       distinct ids from a feeder arrive over
 *       {@code ramp.split.duration} and send {@code ramp.split.requests} GETs each ({@code X-User-Id}). The first answer's
 *       {@code X-Ramp-Version} is saved in the user's session; every later answer must carry the same
 *       version, and the body (written by the upstream that really answered) must agree with the header,
 *       or the request fails.
 *   <li>Every {@code ramp.split.anonymousEvery}-th user sends no {@code X-User-Id}: it gets the {@code ramp_uid} cookie on their first
 *       answer, keep it (Gatling's per-user cookie jar) and must never flip either.
 *   <li>The identified users' canary share must lie within {@code ramp.split.tolerance} percentage points
 *       of {@code ramp.weight}: counted per response, judged by a final {@link Verdict} request.
 * </ul>
 * Ids are {@code ramp.split.idPrefix + n}: the same ids give the same buckets on every run (reproducible);
 * change the prefix to draw another sample. With 2700 identified users at 20 % the sampling error of a
 * random sample is 0.8 pp; the default ids land within it.
 *
 * <p>Passes against the current gateway (needs only the split and the version header).
 */
public class SplitStickinessSimulation extends Simulation {
    private static final Logger log = LoggerFactory.getLogger(SplitStickinessSimulation.class);

    private final int users = Ramp.integer("ramp.split.users", 3000);
    /** Every n-th user sends no id and keeps the ramp_uid cookie instead (0: none). */
    private final int anonymousEvery = Ramp.integer("ramp.split.anonymousEvery", 10);
    private final int requests = Ramp.integer("ramp.split.requests", 4);
    private final Duration during = Ramp.duration("ramp.split.duration", "10s");
    private final Duration warmup = Ramp.duration("ramp.split.warmup", "8s");
    private final int warmupUsers = Ramp.integer("ramp.split.warmupUsers", 16);
    private final double tolerancePp = Ramp.decimal("ramp.split.tolerance", 1.5);
    private final String idPrefix = Ramp.string("ramp.split.idPrefix", "user-");
    private final String path = Ramp.string("ramp.split.path", "/split");

    /** Responses per version, counted as they arrive (a check's transform sees every response once). */
    private final Map<String, LongAdder> identified = Map.of("stable", new LongAdder(), "canary", new LongAdder());
    private final Map<String, LongAdder> anonymous = Map.of("stable", new LongAdder(), "canary", new LongAdder());
    private final LongAdder otherVersions = new LongAdder();

    private final HttpProtocolBuilder protocol = Ramp.protocol("split", Ramp.CONNECTIONS).baseUrl(Ramp.GATEWAY_URL);

    private String count(Map<String, LongAdder> tally, String version) {
        LongAdder a = version == null ? null : tally.get(version);
        if (a == null) {
            otherVersions.increment();
        } else {
            a.increment();
        }
        return version;
    }

    /** One GET; the first of a user saves the version, the others must repeat it. */
    private ChainBuilder get(String name, Map<String, LongAdder> tally, boolean first, boolean withId) {
        var request = http(name).get(path);
        if (withId) {
            request = request.header(Ramp.USER_HEADER, "#{uid}");
        }
        var version = header(Ramp.VERSION_HEADER).transform(v -> count(tally, v));
        if (first) {
            List<CheckBuilder> checks = new ArrayList<>(List.of(
                    status().is(200),
                    version.in("stable", "canary").saveAs("version"),
                    // the upstream that really answered names itself in the body
                    jsonPath("$.version").isEL("#{version}")));
            if (!withId) {
                checks.add(headerRegex("Set-Cookie", Ramp.COOKIE + "=([^;]+)").exists());
            }
            return exec(request.check(checks));
        }
        return exec(request.check(status().is(200), version.isEL("#{version}"), jsonPath("$.version").isEL("#{version}")));
    }

    /** Feeds distinct ids; every {@code anonymousEvery}-th user gets none and lives on the cookie. */
    private static Iterator<Map<String, Object>> users(String prefix, int anonymousEvery) {
        AtomicLong next = new AtomicLong();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Map<String, Object> next() {
                long n = next.getAndIncrement();
                return Map.of("uid", prefix + n, "anonymous", anonymousEvery > 0 && n % anonymousEvery == anonymousEvery - 1);
            }
        };
    }

    /** The first seconds on 2 cores are JIT warm-up: run some traffic (not counted) before the measured users. */
    private final ScenarioBuilder warmUp = scenario("warm-up")
            .feed(users("warmup-", 0))
            // Any status passes here: a cold gateway on a busy box may answer 504 while it still opens its
            // upstream pools; the measured users that follow must not see any.
            .exec(repeat(requests).on(exec(http("warm-up").get(path).header(Ramp.USER_HEADER, "#{uid}")
                    .check(status().saveAs("warmupStatus")))));

    private final ScenarioBuilder splitUsers = scenario("users")
            .feed(users(idPrefix, anonymousEvery))
            .doIfOrElse("#{anonymous}").then(
                    exec(get("anonymous: first", anonymous, true, false))
                            .exec(repeat(requests - 1).on(get("anonymous: again", anonymous, false, false))))
            .orElse(
                    exec(get("identified: first", identified, true, true))
                            .exec(repeat(requests - 1).on(get("identified: again", identified, false, true))));

    private final Verdict share = Verdict.named("canary share");
    private final Verdict coverage = Verdict.named("every response counted");

    private Verdict.Result shareWithinTolerance() {
        long canary = identified.get("canary").sum();
        long total = canary + identified.get("stable").sum();
        double measured = total == 0 ? Double.NaN : 100.0 * canary / total;
        boolean holds = total > 0 && Math.abs(measured - Ramp.WEIGHT_PERCENT) <= tolerancePp;
        return Verdict.Result.of(holds, String.format(java.util.Locale.ROOT,
                "%s of %d identified responses from canary, expected %s +- %.2f pp (anonymous: %d of %d)",
                Ramp.percent(measured), total, Ramp.percent(Ramp.WEIGHT_PERCENT), tolerancePp,
                anonymous.get("canary").sum(), anonymous.get("canary").sum() + anonymous.get("stable").sum()));
    }

    private Verdict.Result everyResponseCounted() {
        long expected = (long) users * requests;
        long seen = identified.values().stream().mapToLong(LongAdder::sum).sum()
                    + anonymous.values().stream().mapToLong(LongAdder::sum).sum();
        long other = otherVersions.sum();
        return Verdict.Result.of(seen == expected && other == 0, seen + " of " + expected
                + " responses carried X-Ramp-Version stable|canary, " + other
                + " had none or another value (is expose-version-header = true?)");
    }

    {
        if (requests < 2) {
            throw new IllegalArgumentException("ramp.split.requests: " + requests + " (expected: >= 2, stickiness needs repeats)");
        }
        log.info("split: {} users (every {}th anonymous) x {} requests over {} after {} warm-up, against {}{} (route weight {}, tolerance {} pp)",
                users, anonymousEvery, requests, during, warmup, Ramp.GATEWAY_URL, path, Ramp.percent(Ramp.WEIGHT_PERCENT), tolerancePp);
        List<Assertion> assertions = new ArrayList<>();
        // stickiness: a flipped user fails a request; so would a missing header or a gateway error
        assertions.add(global().failedRequests().count().is(0L));
        assertions.addAll(share.assertions());
        assertions.addAll(coverage.assertions());
        setUp(warmUp.injectClosed(constantConcurrentUsers(warmupUsers).during(warmup))
                .andThen(splitUsers.injectOpen(rampUsers(users).during(during))
                        .andThen(scenario("verdict")
                                .exec(share.request(this::shareWithinTolerance))
                                .exec(coverage.request(this::everyResponseCounted))
                                .injectOpen(atOnceUsers(1)))))
                .protocols(protocol)
                .maxDuration(warmup.plus(during).plus(Ramp.SLACK))
                .assertions(assertions);
    }
}
