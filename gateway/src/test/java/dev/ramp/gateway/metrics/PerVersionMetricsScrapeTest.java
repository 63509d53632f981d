package dev.ramp.gateway.metrics;

import static dev.ramp.gateway.testing.PrometheusScrape.labels;
import static dev.ramp.gateway.testing.TestBed.CANARY_VERSION;
import static dev.ramp.gateway.testing.TestBed.STABLE_VERSION;
import static dev.ramp.gateway.testing.TestBed.admin;
import static dev.ramp.gateway.testing.TestBed.traffic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.demo.DemoUpstream;
import dev.ramp.gateway.testing.PrometheusScrape;
import dev.ramp.gateway.testing.TestBed;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hawkular.agent.prometheus.types.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Known traffic in, exact series out: requests pinned to each version with the trusted override header,
 * canary failures from the demo fault switch, a refused upstream and gateway-made answers, then the
 * scrape read through a Prometheus text parser.
 */
class PerVersionMetricsScrapeTest {
    private static final String UPSTREAM = "ramp_upstream_request_seconds";
    private static final String REQUESTS = "ramp_requests_total";

    @TempDir
    Path dir;
    private TestBed bed;
    private Gateway gateway;

    @BeforeEach
    void start() throws Exception {
        bed = new TestBed(dir);
        String refused = "{ name = \"dead\", match { path-prefix = \"/dead\" }"
                         + ", stable { url = \"http://127.0.0.1:1\", version = \"s1\" }"
                         + ", canary { url = \"http://127.0.0.1:1\", version = \"c1\" }"
                         + ", weight = \"0%\", fallback { enabled = false } }";
        gateway = bed.start(bed.gatewayConf(null, bed.route("shop", "/shop", "30%"), refused));
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        bed.close();
    }

    @Test
    void countsEveryAttemptByVersionAndOutcomeAndEveryAnswerByWhoServedIt() throws Exception {
        sendPinned("stable", 7, 200);
        sendPinned("canary", 5, 200);
        bed.canary.fault(new DemoUpstream.Fault("status", 500, 1.0, 0)).await(5, TimeUnit.SECONDS);
        sendPinned("canary", 3, 500);
        for (int i = 0; i < 2; i++) {
            assertThat(bed.get(traffic(gateway, "/dead/x")).statusCode()).isEqualTo(502);
        }
        assertThat(bed.get(traffic(gateway, "/nowhere")).statusCode()).isEqualTo(404);
        assertThat(bed.get(traffic(gateway, "/shop/x"), "X-Ramp-Version", "purple").statusCode()).isEqualTo(400);

        // The observer runs when the response has been written, which can be just after the client read it.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            PrometheusScrape s = bed.scrape(gateway);
            assertThat(s.labelSets(UPSTREAM)).containsExactlyInAnyOrder(
                    labels("outcome", "2xx", "role", "stable", "route", "shop", "version", STABLE_VERSION),
                    labels("outcome", "2xx", "role", "canary", "route", "shop", "version", CANARY_VERSION),
                    labels("outcome", "5xx", "role", "canary", "route", "shop", "version", CANARY_VERSION),
                    labels("outcome", "connect_error", "role", "stable", "route", "dead", "version", "s1"));
            assertCount(s, 7, "outcome", "2xx", "role", "stable", "route", "shop", "version", STABLE_VERSION);
            assertCount(s, 5, "outcome", "2xx", "role", "canary", "route", "shop", "version", CANARY_VERSION);
            assertCount(s, 3, "outcome", "5xx", "role", "canary", "route", "shop", "version", CANARY_VERSION);
            assertCount(s, 2, "outcome", "connect_error", "role", "stable", "route", "dead", "version", "s1");

            assertThat(s.labelSets(REQUESTS)).hasSize(6);
            assertThat(s.counter(REQUESTS, "route", "shop", "served_by", "stable", "status_class", "2xx")).isEqualTo(7);
            assertThat(s.counter(REQUESTS, "route", "shop", "served_by", "canary", "status_class", "2xx")).isEqualTo(5);
            assertThat(s.counter(REQUESTS, "route", "shop", "served_by", "canary", "status_class", "5xx")).isEqualTo(3);
            assertThat(s.counter(REQUESTS, "route", "shop", "served_by", "gateway", "status_class", "4xx")).isEqualTo(1);
            assertThat(s.counter(REQUESTS, "route", "dead", "served_by", "gateway", "status_class", "5xx")).isEqualTo(2);
            assertThat(s.counter(REQUESTS, "route", RampMetrics.NO_ROUTE, "served_by", "gateway", "status_class", "4xx"))
                    .isEqualTo(1);
        });
    }

    @Test
    void histogramsHaveFineBucketsFromHalfAMillisecondToThirtySeconds() {
        sendPinned("stable", 3, 200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Histogram h = bed.scrape(gateway).histogram(UPSTREAM,
                    "outcome", "2xx", "role", "stable", "route", "shop", "version", STABLE_VERSION);
            assertThat(h.getSampleCount()).isEqualTo(3);
            List<Double> bounds = h.getBuckets().stream().map(Histogram.Bucket::getUpperBound).toList();
            assertThat(bounds).startsWith(0.0005, 0.001, 0.002).contains(0.1, 1.0, 2.0).endsWith(30.0, Double.POSITIVE_INFINITY);
            assertThat(bounds).hasSizeGreaterThanOrEqualTo(25);
            assertThat(h.getSampleSum()).isPositive();
        });
    }

    @Test
    void exposesWeightGaugesReloadCountersAndJvmMeters() {
        HttpResponse<String> r = bed.get(admin(gateway, "/metrics"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        PrometheusScrape s = PrometheusScrape.parse(r.body());
        assertThat(s.gauge("ramp_canary_weight_ratio", "kind", "configured", "route", "shop")).isEqualTo(0.3);
        assertThat(s.gauge("ramp_canary_weight_ratio", "kind", "effective", "route", "shop")).isEqualTo(0.3);
        assertThat(s.gauge("ramp_canary_weight_ratio", "kind", "effective", "route", "dead")).isEqualTo(0.0);
        assertThat(s.counter("ramp_config_reloads_total", "result", "success")).isZero();
        assertThat(s.counter("ramp_config_reloads_total", "result", "failure")).isZero();
        for (String jvm : List.of("jvm_memory_used_bytes", "jvm_gc_live_data_size_bytes", "jvm_threads_live_threads",
                "jvm_classes_loaded_classes", "system_cpu_available_processors", "process_uptime_seconds", "process_files_open_files")) {
            assertThat(s.has(jvm)).as(jvm).isTrue();
        }
        // promtool rejects these two Micrometer names (see RampMetrics.promtoolClean).
        assertThat(s.has("system_cpu_count")).isFalse();
        assertThat(s.has("process_cpu_time_ns_total")).isFalse();
    }

    @Test
    void fallbacksAndRevertsAreCountedPerRouteAndReason() {
        var route = gateway.snapshot().route("shop");
        route.observer().onFallback("connect_error"); // what the data path calls
        route.observer().onFallback("connect_error");
        route.observer().onFallback("status_503");
        gateway.metrics().revert("shop", "error_rate");
        gateway.metrics().revert("no-such-route", "error_rate"); // ignored: never a series for an unknown route
        PrometheusScrape s = bed.scrape(gateway);
        assertThat(s.counter("ramp_fallbacks_total", "reason", "connect_error", "route", "shop")).isEqualTo(2);
        assertThat(s.counter("ramp_fallbacks_total", "reason", "status_503", "route", "shop")).isEqualTo(1);
        assertThat(s.labelSets("ramp_reverts_total")).containsExactly(labels("reason", "error_rate", "route", "shop"));
        assertThat(s.counter("ramp_reverts_total", "reason", "error_rate", "route", "shop")).isEqualTo(1);
    }

    private void sendPinned(String version, int n, int expectedStatus) {
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = bed.get(traffic(gateway, "/shop/item/" + i), "X-Ramp-Version", version);
            assertThat(r.statusCode()).isEqualTo(expectedStatus);
            assertThat(r.body()).contains("\"version\":\"" + version + "\"");
        }
    }

    private static void assertCount(PrometheusScrape s, long expected, String... labels) {
        Histogram h = s.histogram(UPSTREAM, labels);
        Map<String, String> l = labels(labels);
        assertThat(h.getSampleCount()).as("count of %s", l).isEqualTo(expected);
        List<Histogram.Bucket> buckets = h.getBuckets();
        assertThat(buckets.get(buckets.size() - 1).getUpperBound()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(buckets.get(buckets.size() - 1).getCumulativeCount()).as("+Inf bucket of %s", l).isEqualTo(expected);
        for (int i = 1; i < buckets.size(); i++) {
            assertThat(buckets.get(i).getCumulativeCount()).isGreaterThanOrEqualTo(buckets.get(i - 1).getCumulativeCount());
        }
    }
}
