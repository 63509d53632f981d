package dev.ramp.gateway.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cluster's meters (docs/metrics.md): whether Redis is reachable, its errors, the records applied from
 * other replicas and re-published to Redis, and how long a change took to arrive.
 */
final class ClusterMetrics {
    private final MeterRegistry registry;
    private final AtomicInteger up = new AtomicInteger();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Map<String, Counter> applied = new ConcurrentHashMap<>();
    private final Counter republished;
    private final Timer propagation;

    ClusterMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("ramp_cluster_redis_up", up, AtomicInteger::get)
                .description("1 while Redis answers, 0 while this replica serves on the state it last knew")
                .register(registry);
        republished = Counter.builder("ramp_cluster_records_republished")
                .description("Records this replica wrote to Redis because Redis held an older one or none")
                .register(registry);
        propagation = Timer.builder("ramp_cluster_propagation")
                .description("From another replica's change (its stamp) to this replica applying it")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
    }

    void up(boolean isUp) {
        up.set(isUp ? 1 : 0);
    }

    /** {@code op}: connect, write, resync or message. */
    void error(String op) {
        errors.computeIfAbsent(op, o -> Counter.builder("ramp_cluster_redis_errors")
                .description("Redis operations that failed").tag("op", o).register(registry)).increment();
    }

    /** {@code kind}: revert, resume or progress. */
    void applied(String kind) {
        applied.computeIfAbsent(kind, k -> Counter.builder("ramp_cluster_records_applied")
                .description("Newer records from other replicas taken in").tag("kind", k).register(registry))
                .increment();
    }

    void republished() {
        republished.increment();
    }

    void propagation(Duration d) {
        propagation.record(d.isNegative() ? Duration.ZERO : d);
    }
}
