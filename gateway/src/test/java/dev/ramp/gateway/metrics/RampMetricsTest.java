package dev.ramp.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.guard.Outcome;
import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.routing.Version;
import dev.ramp.gateway.testing.TestBed;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RampMetrics driven directly as the data path would, on a gateway's real routes: the in-flight race on
 * removal, gauges that read live, units and tags.
 */
class RampMetricsTest {
    @TempDir
    Path dir;
    private TestBed bed;
    private Gateway gateway;
    private RampMetrics metrics;

    @BeforeEach
    void start() throws Exception {
        bed = new TestBed(dir);
        gateway = bed.start(bed.gatewayConf(null, bed.route("shop", "/shop", "12.5%"), bed.route("other", "/", "0%")));
        metrics = gateway.metrics();
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        bed.close();
    }

    @Test
    void aRequestStillInFlightOnARemovedRouteDoesNotBringItsMetersBack() {
        LiveRoute old = gateway.snapshot().route("shop");
        old.observer().onAttempt(Version.CANARY, Outcome.SUCCESS_2XX, 1_000_000);
        assertThat(metrics.registry().find("ramp.upstream.request").tag("route", "shop").timers()).hasSize(1);

        gateway.apply(bed.config(bed.gatewayConf(null, bed.route("other", "/", "0%"))));
        // Late completions of requests that started on the old snapshot, including first-time series.
        old.observer().onAttempt(Version.CANARY, Outcome.SUCCESS_2XX, 1_000_000);
        old.observer().onAttempt(Version.STABLE, Outcome.TIMEOUT, 1_000_000);
        old.observer().onClientResponse(Version.STABLE, 504);
        old.observer().onFallback("timeout");
        metrics.revert("shop", "manual");

        assertThat(metrics.registry().getMeters()).noneMatch(m -> "shop".equals(m.getId().getTag("route")));
        assertThat(metrics.scrape()).doesNotContain("route=\"shop\"");
    }

    @Test
    void effectiveWeightGaugeFollowsTheRevertFlagWithoutRebinding() {
        assertThat(gauge("effective")).isEqualTo(0.125);
        gateway.snapshot().route("shop").state().revert();
        assertThat(gauge("effective")).isZero();
        assertThat(gauge("configured")).isEqualTo(0.125);
    }

    @Test
    void recordsInSecondsWithTheConfiguredVersionTag() {
        gateway.snapshot().route("shop").observer().onAttempt(Version.CANARY, Outcome.RESET, 2_500_000);
        Timer t = metrics.registry().get("ramp.upstream.request")
                .tags("route", "shop", "role", "canary", "version", TestBed.CANARY_VERSION, "outcome", "reset").timer();
        assertThat(t.count()).isEqualTo(1);
        assertThat(t.totalTime(TimeUnit.MICROSECONDS)).isEqualTo(2_500);
        assertThat(metrics.scrape()).contains("ramp_upstream_request_seconds_sum{outcome=\"reset\",role=\"canary\","
                                              + "route=\"shop\",version=\"" + TestBed.CANARY_VERSION + "\"} 0.0025");
    }

    private double gauge(String kind) {
        return dev.ramp.gateway.testing.PrometheusScrape.parse(metrics.scrape())
                .gauge("ramp_canary_weight_ratio", "kind", kind, "route", "shop");
    }
}
