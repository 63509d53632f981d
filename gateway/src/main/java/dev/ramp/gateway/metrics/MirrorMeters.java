package dev.ramp.gateway.metrics;

import dev.ramp.gateway.config.RouteConfig;
import dev.ramp.gateway.proxy.mirror.MirrorObserver;
import dev.ramp.gateway.proxy.mirror.MirrorResult;
import dev.ramp.gateway.proxy.mirror.MirrorStats;
import dev.ramp.gateway.routing.Version;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.noop.NoopTimer;
import java.util.concurrent.TimeUnit;

/**
 * A mirroring route's meters: {@code ramp_mirror_requests_total{route, result}}, function counters reading its
 * {@link MirrorStats} (the data path counts into plain adders), and
 * {@code ramp_mirror_duration_seconds{route, role, version}}, the time stable took to answer each copied request
 * and the canary the copy, registered on the first copy that ends. Only routes with a {@code mirror} have them:
 * {@link #bind} runs for each snapshot of such a route, and {@link #unbind} when a reload takes the mirror (or
 * the route) away. A changed stable or canary version retires the histograms of the old one.
 */
public final class MirrorMeters implements MirrorObserver {
    static final String MIRROR_REQUESTS = "ramp.mirror.requests"; // ramp_mirror_requests_total
    static final String MIRROR_DURATION = "ramp.mirror.duration"; // ramp_mirror_duration_seconds

    private final MeterRegistry registry;
    private final String route;
    private final String stableVersion;
    private final String canaryVersion;
    private final MeterScope scope;
    private volatile Timer stable;
    private volatile Timer canary;

    private MirrorMeters(MeterRegistry registry, String route, String stableVersion, String canaryVersion) {
        this.registry = registry;
        this.route = route;
        this.stableVersion = stableVersion;
        this.canaryVersion = canaryVersion;
        this.scope = new MeterScope(registry);
    }

    /** Registers the route's counters (again: a no-op) and points its copies' times at its versions' histograms. */
    public static void bind(MeterRegistry registry, RouteConfig rc, MirrorStats stats) {
        for (MirrorResult r : MirrorResult.values()) {
            FunctionCounter.builder(MIRROR_REQUESTS, stats, s -> s.count(r))
                    .description("Dark-launch copies sent to the canary, by how its answer compared with stable's")
                    .tags(Tags.of("route", rc.name(), "result", r.tag()))
                    .register(registry);
        }
        if (stats.observer() instanceof MirrorMeters m && m.route.equals(rc.name())
            && m.stableVersion.equals(rc.stable().version()) && m.canaryVersion.equals(rc.canary().version())) {
            return;
        }
        retire(stats);
        stats.observe(new MirrorMeters(registry, rc.name(), rc.stable().version(), rc.canary().version()));
    }

    /** Removes every meter of the route's dark launch: the mirror (or the route) is gone. */
    public static void unbind(MeterRegistry registry, String route, MirrorStats stats) {
        registry.find(MIRROR_REQUESTS).tag("route", route).meters().forEach(registry::remove);
        retire(stats);
        stats.observe(MirrorObserver.NONE);
    }

    private static void retire(MirrorStats stats) {
        if (stats.observer() instanceof MirrorMeters m) {
            m.scope.retire();
        }
    }

    @Override
    public void onCopy(long stableNanos, long canaryNanos) {
        Timer s = stable;
        if (s == null) {
            s = stable = timer(Version.STABLE, stableVersion);
        }
        Timer c = canary;
        if (c == null) {
            c = canary = timer(Version.CANARY, canaryVersion);
        }
        s.record(stableNanos, TimeUnit.NANOSECONDS);
        c.record(canaryNanos, TimeUnit.NANOSECONDS);
    }

    private Timer timer(Version role, String version) {
        Tags tags = Tags.of("route", route, "role", role.tag(), "version", version);
        // Registering twice (two loops at once) finds the same meter; a retired scope hands out a stand-in.
        return scope.register(
                () -> Timer.builder(MIRROR_DURATION)
                        .description("Dark-launch copies: how long stable took to answer the original request"
                                     + " (role=stable) and the canary the copy (role=canary)")
                        .tags(tags)
                        .serviceLevelObjectives(RampMetrics.LATENCY_BUCKETS)
                        .publishPercentileHistogram(false)
                        .register(registry),
                () -> new NoopTimer(new Meter.Id(MIRROR_DURATION, tags, null, null, Meter.Type.TIMER)));
    }
}
