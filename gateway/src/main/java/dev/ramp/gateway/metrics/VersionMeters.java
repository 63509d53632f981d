package dev.ramp.gateway.metrics;

import dev.ramp.gateway.guard.Outcome;
import dev.ramp.gateway.routing.Version;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.noop.NoopTimer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The {@code ramp_upstream_request_seconds} histograms of one route's stable or canary upstream at one
 * configured version, one per {@link Outcome}, created on first use and then reached by index. Kept
 * across reloads while the route's version string for this role is unchanged.
 */
final class VersionMeters {
    private static final Outcome[] OUTCOMES = Outcome.values();
    private static final int MAX_WINDOW_STEPS = 120;

    final String route;
    final Version role;
    final String version;
    private final MeterRegistry registry;
    private final MeterScope scope;
    private final AtomicReferenceArray<Timer> timers = new AtomicReferenceArray<>(OUTCOMES.length);

    VersionMeters(MeterRegistry registry, String route, Version role, String version) {
        this.registry = registry;
        this.scope = new MeterScope(registry);
        this.route = route;
        this.role = role;
        this.version = version;
    }

    void record(Outcome outcome, long nanos) {
        Timer t = timers.get(outcome.ordinal());
        if (t == null) {
            t = create(outcome);
        }
        t.record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer create(Outcome outcome) {
        Tags tags = Tags.of("route", route, "role", role.tag(), "version", version, "outcome", outcome.tag());
        Timer t = scope.register(
                () -> Timer.builder(RampMetrics.UPSTREAM_REQUEST)
                        .description("Upstream attempts (fallback attempts included), from attempt start to the"
                                     + " end of the response or the failure")
                        .tags(tags)
                        .serviceLevelObjectives(RampMetrics.LATENCY_BUCKETS)
                        .publishPercentileHistogram(false)
                        // The _max gauge covers the default 2 minutes in 120 steps: its window turns every
                        // second under load, so the JIT compiles the turn into the per-request path instead of
                        // leaving a trap that deoptimises the event loop each time the window turns (every 40 s
                        // with the default 3 steps) and recompiles it on the loop's core.
                        .distributionStatisticBufferLength(MAX_WINDOW_STEPS)
                        .register(registry),
                () -> new NoopTimer(new Meter.Id(RampMetrics.UPSTREAM_REQUEST, tags, null, null, Meter.Type.TIMER)));
        return timers.compareAndSet(outcome.ordinal(), null, t) ? t : timers.get(outcome.ordinal());
    }

    void retire() {
        scope.retire();
    }
}
