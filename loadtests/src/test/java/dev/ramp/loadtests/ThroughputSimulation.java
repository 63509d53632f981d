package dev.ramp.loadtests;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's cost as a ratio: the same closed-model load (a ramp to {@code ramp.throughput.users}
 * concurrent users, then a hold), first through the gateway, then directly against the stable upstream.
 * Both phases are preceded by an uncounted warm-up of both paths (JIT).
 *
 * <p>Gatling's report has each phase as its own request name ({@code gateway: GET}, {@code direct: GET}),
 * with millisecond percentiles. For the ratio this class also records every latency in microseconds
 * (HdrHistogram, from just before the request is built to the response) and prints, at the end,
 * requests/s and p50/p95/p99 for both and gateway/direct ratios.
 *
 * <p>Assertions: no failed request, and (a final {@link Verdict}) gateway throughput at least
 * {@code ramp.throughput.minRatio} of direct, {@link #DEFAULT_MIN_RATIO} unless set. The floor catches a collapse
 * (a lock or a per-request allocation storm on the data path), not a few percent: on 2 shared cores the load
 * generator, the gateway and the upstream compete for the same CPUs, so the ratio is a property of the box as much
 * as of the gateway. How the default was chosen: docs/benchmarks.md. {@code -Dramp.throughput.minRatio=0} runs
 * no verdict and prints the ratio as a report, not a check.
 */
public class ThroughputSimulation extends Simulation {
    private static final Logger log = LoggerFactory.getLogger(ThroughputSimulation.class);

    private final int users = Ramp.integer("ramp.throughput.users", 32);
    private final int requestsPerUser = Ramp.integer("ramp.throughput.requestsPerUser", 100);
    private final Duration warmup = Ramp.duration("ramp.throughput.warmup", "5s");
    private final Duration ramp = Ramp.duration("ramp.throughput.ramp", "5s");
    private final Duration hold = Ramp.duration("ramp.throughput.hold", "15s");
    /** The default floor on gateway req/s over direct req/s: about half the lowest ratio measured (docs/benchmarks.md). */
    static final double DEFAULT_MIN_RATIO = 0.2;

    private final double minRatio = Ramp.decimal("ramp.throughput.minRatio", DEFAULT_MIN_RATIO);
    /** Whether the ratio is checked; with a floor of 0 it could not fail, so it is only reported. */
    private final boolean ratioChecked = minRatio > 0;
    private final String path = Ramp.string("ramp.throughput.path", "/throughput");

    /** One measured target: latencies (µs) and the span between its first send and last response. */
    private static final class Target {
        final String name;
        final Recorder latencies = new Recorder(TimeUnit.SECONDS.toMicros(60), 3);
        final AtomicLong firstNanos = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong lastNanos = new AtomicLong(Long.MIN_VALUE);
        final AtomicLong count = new AtomicLong();
        Histogram histogram;

        Target(String name) {
            this.name = name;
        }

        void record(long sentNanos) {
            long now = System.nanoTime();
            latencies.recordValue(Math.max(1, (now - sentNanos) / 1000));
            firstNanos.accumulateAndGet(sentNanos, Math::min);
            lastNanos.accumulateAndGet(now, Math::max);
            count.incrementAndGet();
        }

        double rps() {
            double seconds = (lastNanos.get() - firstNanos.get()) / 1e9;
            return seconds <= 0 ? 0 : count.get() / seconds;
        }

        Histogram histogram() {
            if (histogram == null) {
                histogram = latencies.getIntervalHistogram();
            }
            return histogram;
        }

        double ms(double percentile) {
            return histogram().getValueAtPercentile(percentile) / 1000.0;
        }
    }

    private final Target gateway = new Target("gateway");
    private final Target direct = new Target("direct");

    private final HttpProtocolBuilder protocol = Ramp.protocol("throughput", users);


    /** A user sends requestsPerUser GETs back to back over the shared keep-alive pool. */
    private ScenarioBuilder load(String name, String url, Target target) {
        var get = http(name + ": GET").get(url).header(Ramp.USER_HEADER, "#{uid}").check(status().is(200));
        if (target != null) {
            get = get.transformResponse((response, session) -> {
                target.record(session.getLong("sentNanos"));
                return response;
            });
        }
        return scenario(name).feed(Ramp.uniqueIds(name + "-")).exec(repeat(requestsPerUser).on(
                exec(session -> session.set("sentNanos", System.nanoTime())).exec(get)));
    }

    private PopulationBuilder closed(ScenarioBuilder s) {
        return s.injectClosed(rampConcurrentUsers(1).to(users).during(ramp), constantConcurrentUsers(users).during(hold));
    }

    private String row(Target t) {
        return String.format(Locale.ROOT, "%-8s %10d %12.0f %9.2f %9.2f %9.2f %9.2f", t.name, t.count.get(), t.rps(),
                t.ms(50), t.ms(95), t.ms(99), t.histogram().getMaxValue() / 1000.0);
    }

    private final Verdict ratio = Verdict.named("gateway/direct throughput ratio >= " + minRatio);

    private Verdict.Result ratioAtLeastMin() {
        double r = direct.rps() == 0 ? 0 : gateway.rps() / direct.rps();
        return Verdict.Result.of(gateway.count.get() > 0 && direct.count.get() > 0 && r >= minRatio,
                String.format(Locale.ROOT, "gateway %.0f req/s, direct %.0f req/s: ratio %.2f (p99 %.2f ms vs %.2f ms)",
                        gateway.rps(), direct.rps(), r, gateway.ms(99), direct.ms(99)));
    }

    @Override
    public void after() {
        if (gateway.count.get() == 0 || direct.count.get() == 0) {
            log.warn("throughput: nothing measured (gateway {} / direct {} responses)", gateway.count.get(), direct.count.get());
            return;
        }
        String ratio = String.format(Locale.ROOT, "%-8s %10s %12.2f %9.2f %9.2f %9.2f", "gw/dir", "",
                gateway.rps() / direct.rps(), gateway.ms(50) / direct.ms(50), gateway.ms(95) / direct.ms(95),
                gateway.ms(99) / direct.ms(99));
        log.info("throughput, {} concurrent users (closed model), latencies in ms:\n"
                 + "target     requests        req/s       p50       p95       p99       max\n{}\n{}\n{}",
                users, row(gateway), row(direct), ratio);
        if (!ratioChecked) {
            log.info("throughput: gateway/direct ratio {}: report, not a check (ramp.throughput.minRatio = {})",
                    String.format(Locale.ROOT, "%.2f", gateway.rps() / direct.rps()), minRatio);
        }
    }

    {
        if (minRatio < 0) {
            throw new IllegalArgumentException("ramp.throughput.minRatio: " + minRatio + " (expected: 0 for a report, or a floor above 0)");
        }
        log.info("throughput: warm-up {}, then ramp to {} concurrent users over {} and hold {}: through {}{}, then direct {}{}; {}",
                warmup, users, ramp, hold, Ramp.GATEWAY_URL, path, Ramp.STABLE_URL, path,
                ratioChecked ? "checks gateway/direct req/s >= " + minRatio : "the ratio is a report, not a check");
        ScenarioBuilder warmGateway = load("warm-up gateway", Ramp.GATEWAY_URL + path, null);
        ScenarioBuilder warmDirect = load("warm-up direct", Ramp.STABLE_URL + path, null);
        int warmUsers = Math.max(1, users / 2);
        PopulationBuilder directPhase = closed(load("direct", Ramp.STABLE_URL + path, direct));
        List<Assertion> assertions = new ArrayList<>(List.of(
                global().failedRequests().count().is(0L),
                details("gateway: GET").allRequests().count().gt(0L),
                details("direct: GET").allRequests().count().gt(0L)));
        if (ratioChecked) {
            directPhase = directPhase.andThen(
                    scenario("verdict").exec(ratio.request(this::ratioAtLeastMin)).injectOpen(atOnceUsers(1)));
            assertions.addAll(ratio.assertions());
        }
        setUp(warmGateway.injectClosed(constantConcurrentUsers(warmUsers).during(warmup))
                .andThen(warmDirect.injectClosed(constantConcurrentUsers(warmUsers).during(warmup)))
                .andThen(closed(load("gateway", Ramp.GATEWAY_URL + path, gateway)))
                .andThen(directPhase))
                .protocols(protocol)
                .maxDuration(warmup.multipliedBy(2).plus(ramp.plus(hold).multipliedBy(2)).plus(Ramp.SLACK))
                .assertions(assertions);
    }
}
