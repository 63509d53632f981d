package dev.ramp.gateway.metrics;

import dev.ramp.gateway.proxy.mirror.MirrorResult;
import dev.ramp.gateway.proxy.mirror.MirrorStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * Exposes a route's dark-launch counts as {@code ramp_mirror_requests_total{route, result}}: function counters
 * reading its {@link MirrorStats}, so the data path counts into plain adders. Binding again (a reload) finds
 * the meters already registered; the stats object is the same for every snapshot of the route.
 */
public final class MirrorMeters {
    static final String MIRROR_REQUESTS = "ramp.mirror.requests"; // ramp_mirror_requests_total

    private MirrorMeters() {
    }

    public static void bind(MeterRegistry registry, String route, MirrorStats stats) {
        for (MirrorResult r : MirrorResult.values()) {
            FunctionCounter.builder(MIRROR_REQUESTS, stats, s -> s.count(r))
                    .description("Dark-launch copies sent to the canary, by how its answer compared with stable's")
                    .tags(Tags.of("route", route, "result", r.tag()))
                    .register(registry);
        }
    }
}
