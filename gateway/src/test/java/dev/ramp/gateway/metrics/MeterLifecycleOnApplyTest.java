package dev.ramp.gateway.metrics;

import static dev.ramp.gateway.testing.TestBed.CANARY_VERSION;
import static dev.ramp.gateway.testing.TestBed.STABLE_VERSION;
import static dev.ramp.gateway.testing.TestBed.traffic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.events.EventLog;
import dev.ramp.gateway.testing.PrometheusScrape;
import dev.ramp.gateway.testing.TestBed;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gateway.apply: meters of vanished routes and changed versions leave the scrape; the rest keep counting. */
class MeterLifecycleOnApplyTest {
    private static final String UPSTREAM = "ramp_upstream_request_seconds";
    private static final String REQUESTS = "ramp_requests_total";

    @TempDir
    Path dir;
    private TestBed bed;
    private Gateway gateway;

    @BeforeEach
    void start() throws Exception {
        bed = new TestBed(dir);
        gateway = bed.start(bed.gatewayConf(null, bed.route("keep", "/keep", "10%"), bed.route("gone", "/gone", "10%")));
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        bed.close();
    }

    @Test
    void removedRouteDisappearsAndUnchangedRouteKeepsItsCounters() {
        for (String path : new String[] {"/keep/a", "/gone/a"}) {
            for (String v : new String[] {"stable", "canary"}) {
                assertThat(bed.get(traffic(gateway, path), "X-Ramp-Version", v).statusCode()).isEqualTo(200);
            }
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(bed.scrape(gateway).counter(REQUESTS, "route", "gone", "served_by", "canary",
                        "status_class", "2xx")).isEqualTo(1));
        assertThat(bed.scrape(gateway).seriesWith("route", "gone")).isNotEmpty();

        gateway.apply(bed.config(bed.gatewayConf(null, bed.route("keep", "/keep", "20%"))));

        PrometheusScrape after = bed.scrape(gateway);
        assertThat(after.seriesWith("route", "gone")).isEmpty();
        assertThat(after.counter(REQUESTS, "route", "keep", "served_by", "stable", "status_class", "2xx")).isEqualTo(1);
        assertThat(after.histogram(UPSTREAM, "outcome", "2xx", "role", "canary", "route", "keep",
                "version", CANARY_VERSION).getSampleCount()).isEqualTo(1);
        assertThat(after.gauge("ramp_canary_weight_ratio", "kind", "configured", "route", "keep")).isEqualTo(0.2);
        assertThat(after.gauge("ramp_canary_weight_ratio", "kind", "effective", "route", "keep")).isEqualTo(0.2);

        // The kept meters still count, into the same series.
        assertThat(bed.get(traffic(gateway, "/keep/b"), "X-Ramp-Version", "stable").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(bed.scrape(gateway).counter(REQUESTS, "route", "keep", "served_by", "stable",
                        "status_class", "2xx")).isEqualTo(2));

        assertThat(gateway.events().recent()).extracting(EventLog.Event::type, EventLog.Event::route)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(EventLog.WEIGHT_CHANGE, "keep"),
                        org.assertj.core.groups.Tuple.tuple(EventLog.ROUTE_REMOVED, "gone"));
    }

    @Test
    void changedCanaryVersionDropsOnlyThatVersionsHistograms() {
        assertThat(bed.get(traffic(gateway, "/keep/a"), "X-Ramp-Version", "stable").statusCode()).isEqualTo(200);
        assertThat(bed.get(traffic(gateway, "/keep/a"), "X-Ramp-Version", "canary").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(bed.scrape(gateway).seriesWith("version", CANARY_VERSION)).isNotEmpty());

        gateway.apply(bed.config(bed.gatewayConf(null,
                bed.route("keep", "/keep", "10%", STABLE_VERSION, "v1.6.0"), bed.route("gone", "/gone", "10%"))));

        PrometheusScrape s = bed.scrape(gateway);
        assertThat(s.labelSets(UPSTREAM)).noneMatch(l -> l.get("route").equals("keep") && l.get("role").equals("canary"));
        assertThat(s.histogram(UPSTREAM, "outcome", "2xx", "role", "stable", "route", "keep",
                "version", STABLE_VERSION).getSampleCount()).isEqualTo(1);
        assertThat(s.counter(REQUESTS, "route", "keep", "served_by", "canary", "status_class", "2xx")).isEqualTo(1);

        assertThat(bed.get(traffic(gateway, "/keep/a"), "X-Ramp-Version", "canary").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(bed.scrape(gateway).histogram(UPSTREAM, "outcome", "2xx", "role", "canary", "route", "keep",
                        "version", "v1.6.0").getSampleCount()).isEqualTo(1));
        assertThat(gateway.events().recent()).extracting(EventLog.Event::type).containsExactly(EventLog.UPSTREAM_CHANGE);
    }
}
