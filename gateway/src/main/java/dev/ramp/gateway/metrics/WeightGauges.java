package dev.ramp.gateway.metrics;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code ramp_canary_weight_ratio{route, kind="configured"|"effective"}}, read at scrape time from every
 * configured route's current config and live state. One collector instead of two registered gauges per route:
 * at 10 000 routes those were 20 000 Micrometer meters, with their ids, tags and registry entries (~0.5 KB each)
 * and the most expensive part of building a snapshot (docs/benchmarks.md, "Many routes"). The exposition is
 * the same. Thread-safe: it reads the routes' volatile bindings.
 */
final class WeightGauges implements Collector {
    static final String NAME = "ramp_canary_weight_ratio";
    private static final String HELP =
            "Canary share of new requests, 0..1: as configured, and in effect now (0 while reverted)";

    private final Supplier<Collection<RouteMetrics>> routes;

    /** @param routes the configured routes' meters, as of the last snapshot bound */
    WeightGauges(Supplier<Collection<RouteMetrics>> routes) {
        this.routes = routes;
    }

    @Override
    public MetricSnapshot collect() {
        Collection<RouteMetrics> all = routes.get();
        List<GaugeDataPointSnapshot> points = new ArrayList<>(all.size() * 2);
        for (RouteMetrics rm : all) {
            double configured = rm.configuredWeight();
            if (Double.isNaN(configured)) {
                continue; // not bound yet
            }
            points.add(new GaugeDataPointSnapshot(configured, Labels.of("kind", "configured", "route", rm.name), null));
            points.add(new GaugeDataPointSnapshot(rm.effectiveWeight(), Labels.of("kind", "effective", "route", rm.name),
                    null));
        }
        return new GaugeSnapshot(new MetricMetadata(NAME, HELP), points);
    }

    @Override
    public String getPrometheusName() {
        return NAME;
    }
}
