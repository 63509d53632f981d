package dev.ramp.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.config.Percent;
import dev.ramp.gateway.config.RouteConfig;
import dev.ramp.gateway.config.Upstream;
import dev.ramp.gateway.guard.Outcome;
import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.routing.Version;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RampMetrics without servers: binding, the in-flight race on removal, and gauges that read live. */
class RampMetricsTest {
    private final RampMetrics metrics = RampMetrics.create();

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void aRequestStillInFlightOnARemovedRouteDoesNotBringItsMetersBack() {
        LiveRoute old = live("shop", "v2", "30%");
        metrics.bind(List.of(old));
        metrics.onAttempt(old, Version.CANARY, Outcome.SUCCESS_2XX, 1_000_000);
        assertThat(metrics.registry().find("ramp.upstream.request").tag("route", "shop").timers()).hasSize(1);

        metrics.bind(List.of());
        // Late completions of requests that started on the old snapshot, including first-time series.
        metrics.onAttempt(old, Version.CANARY, Outcome.SUCCESS_2XX, 1_000_000);
        metrics.onAttempt(old, Version.STABLE, Outcome.TIMEOUT, 1_000_000);
        metrics.onClientResponse(old, Version.STABLE, 504);
        metrics.fallback(old, "timeout");

        assertThat(metrics.registry().getMeters()).noneMatch(m -> "shop".equals(m.getId().getTag("route")));
        assertThat(metrics.scrape()).doesNotContain("route=\"shop\"");
    }

    @Test
    void effectiveWeightGaugeFollowsTheRevertFlagWithoutRebinding() {
        LiveRoute route = live("shop", "v2", "12.5%");
        metrics.bind(List.of(route));
        assertThat(gauge("effective")).isEqualTo(0.125);
        route.reverted(true);
        assertThat(gauge("effective")).isZero();
        assertThat(gauge("configured")).isEqualTo(0.125);
    }

    @Test
    void recordsInSecondsWithTheConfiguredVersionTag() {
        LiveRoute route = live("shop", "v2", "5%");
        metrics.bind(List.of(route));
        metrics.onAttempt(route, Version.CANARY, Outcome.RESET, 2_500_000);
        Timer t = metrics.registry().get("ramp.upstream.request")
                .tags("route", "shop", "role", "canary", "version", "v2", "outcome", "reset").timer();
        assertThat(t.count()).isEqualTo(1);
        assertThat(t.totalTime(java.util.concurrent.TimeUnit.MICROSECONDS)).isEqualTo(2_500);
    }

    private double gauge(String kind) {
        return metrics.registry().get("ramp.canary.weight.ratio").tags("route", "shop", "kind", kind).gauge().value();
    }

    /** Only name, upstreams and weight matter to metrics; the other blocks stay null. */
    private static LiveRoute live(String name, String canaryVersion, String weight) {
        RouteConfig rc = new RouteConfig(name, null,
                new Upstream(URI.create("http://127.0.0.1:9001"), "v1"),
                new Upstream(URI.create("http://127.0.0.1:9002"), canaryVersion),
                Percent.parse(weight), null, null, false, null, null, null);
        return new LiveRoute(rc);
    }
}
