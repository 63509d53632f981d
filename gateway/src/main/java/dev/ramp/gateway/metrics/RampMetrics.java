package dev.ramp.gateway.metrics;

import dev.ramp.gateway.config.RouteConfig;
import dev.ramp.gateway.proxy.RouteObserver;
import dev.ramp.gateway.proxy.RouteState;
import dev.ramp.gateway.routing.Version;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's Prometheus meters (names and labels in docs/metrics.md) and the per-route observers that
 * feed them.
 *
 * <p>Hot path: each route's observer ({@link RouteMeters}, made by {@link #bind}) runs on event loops for
 * every request. It holds the route's meters and indexes arrays by version, outcome, served-by and status
 * class: no tag lists, no registry look-ups by name, no allocation once a series exists.
 *
 * <p>Lifecycle: {@link #bind} runs for every snapshot before it is published. Routes that disappeared lose
 * all their meters; a route whose stable or canary version string changed loses that version's histograms;
 * everything else is kept, so counters never reset on a reload.
 */
public final class RampMetrics implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RampMetrics.class);

    /** Micrometer names; the Prometheus names add the unit and {@code _total} suffixes. */
    static final String UPSTREAM_REQUEST = "ramp.upstream.request"; // ramp_upstream_request_seconds
    static final String REQUESTS = "ramp.requests";                 // ramp_requests_total
    static final String FALLBACKS = "ramp.fallbacks";               // ramp_fallbacks_total
    static final String REVERTS = "ramp.reverts";                   // ramp_reverts_total
    static final String RULE_MATCHES = "ramp.rule.matches";         // ramp_rule_matches_total
    static final String CONFIG_RELOADS = "ramp.config.reloads";     // ramp_config_reloads_total
    static final String CONNECTIONS_REJECTED = "ramp.connections.rejected"; // ramp_connections_rejected_total
    static final String TLS_RELOADS = "ramp.tls.reloads";           // ramp_tls_reloads_total
    static final String ACCESS_LOG_DROPPED = "ramp.access.log.dropped"; // ramp_access_log_dropped_total
    static final String TLS_EXPIRY = "ramp.tls.certificate.expiry.timestamp"; // ..._timestamp_seconds
    static final String NOTIFICATIONS = "ramp.notifications";       // ramp_notifications_total

    /** The {@code route} tag of requests no route matched. Route names cannot contain parentheses. */
    public static final String NO_ROUTE = "(none)";

    /** Histogram buckets: fine enough to resolve the p99 of a fast API, up to the longest timeout. */
    static final Duration[] LATENCY_BUCKETS = buckets(
            0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750,
            1_000, 1_500, 2_000, 3_000, 5_000, 7_500, 10_000, 15_000, 20_000, 30_000);

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gcMetrics;
    private final RouteMetrics noRoute;
    private final RouteObserver unrouted;
    private final Counter reloadSuccess;
    private final Counter reloadFailure;
    private final Map<String, Counter> rejectedConnections = new ConcurrentHashMap<>();
    private final Map<Boolean, Counter> tlsReloads = new ConcurrentHashMap<>();
    private final Map<List<String>, Counter> notifications = new ConcurrentHashMap<>();
    private final MultiGauge tlsExpiry;
    private final RolloutMetrics rollouts;
    // Replaced as a whole under the lock, read without it.
    private volatile Map<String, RouteMetrics> routes = Map.of();
    private Map<VersionKey, VersionMeters> versions = Map.of(); // guarded by this
    private Map<String, RouteMeters> bound = Map.of(); // the last bind's observers; guarded by this

    private record VersionKey(String route, Version role, String version) {}

    private RampMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
        promtoolClean(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        noRoute = new RouteMetrics(registry, NO_ROUTE);
        unrouted = new RouteObserver() {
            @Override
            public void onClientResponse(Version servedBy, int status) {
                noRoute.request(null, status);
            }
        };
        reloadSuccess = reloads("success");
        reloadFailure = reloads("failure");
        rollouts = new RolloutMetrics(registry);
        registry.getPrometheusRegistry().register(new WeightGauges(() -> routes.values()));
        tlsExpiry = MultiGauge.builder(TLS_EXPIRY)
                .description("When each served TLS certificate expires (notAfter), as a Unix time")
                .baseUnit("seconds")
                .register(registry);
    }

    /** Meters in a new Prometheus registry, with the JVM and process meters bound. */
    public static RampMetrics create() {
        return new RampMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    private Counter reloads(String result) {
        return Counter.builder(CONFIG_RELOADS)
                .description("Config reloads, by whether the new config was applied")
                .tag("result", result)
                .register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition (format 0.0.4). Takes a while with many series: not on an event loop. */
    public String scrape() {
        return registry.scrape();
    }

    /**
     * Binds meters to every route of a snapshot about to be built and returns each route's observer by name;
     * removes the meters of routes and versions the snapshot no longer has. Call once per snapshot, before
     * publishing it.
     *
     * @param states each route's live state (the effective weight gauge reads it)
     */
    public synchronized Map<String, ? extends RouteObserver> bind(List<RouteConfig> configs, Map<String, RouteState> states) {
        Map<String, RouteMetrics> nextRoutes = new HashMap<>();
        Map<VersionKey, VersionMeters> nextVersions = new HashMap<>();
        Map<String, RouteMeters> observers = new HashMap<>();
        for (RouteConfig r : configs) {
            RouteMetrics rm = routes.get(r.name());
            if (rm == null) {
                rm = new RouteMetrics(registry, r.name());
            }
            rm.bind(r, states.get(r.name()));
            nextRoutes.put(r.name(), rm);
            VersionMeters[] vm = new VersionMeters[Version.values().length];
            for (Version v : Version.values()) {
                VersionKey key = new VersionKey(r.name(), v, (v == Version.CANARY ? r.canary() : r.stable()).version());
                VersionMeters m = versions.get(key);
                if (m == null) {
                    m = new VersionMeters(registry, key.route(), v, key.version());
                }
                nextVersions.put(key, m);
                vm[v.ordinal()] = m;
            }
            RouteMeters before = bound.get(r.name());
            // The same meters as last time: the same observer, so an unchanged route's snapshot object is kept.
            observers.put(r.name(), before != null && before.sameAs(rm, vm[Version.STABLE.ordinal()],
                    vm[Version.CANARY.ordinal()]) ? before
                    : new RouteMeters(rm, vm[Version.STABLE.ordinal()], vm[Version.CANARY.ordinal()]));
        }
        routes.forEach((name, rm) -> {
            if (nextRoutes.get(name) != rm) {
                rm.retire();
                log.info("route={} removed: its meters are gone from /metrics", name);
            }
        });
        versions.forEach((key, vm) -> {
            if (nextVersions.get(key) != vm) {
                vm.retire();
                log.debug("route={} role={} version={} no longer configured: its histograms are removed",
                        key.route(), key.role().tag(), key.version());
            }
        });
        routes = Map.copyOf(nextRoutes);
        versions = Map.copyOf(nextVersions);
        bound = observers;
        return observers;
    }

    /** The gauges of rollout plans. */
    public RolloutMetrics rollouts() {
        return rollouts;
    }

    /** The observer of requests no route matches: counted under the route {@value #NO_ROUTE}. */
    public RouteObserver unrouted() {
        return unrouted;
    }

    /** Counts a client connection closed at accept: {@code reason} is max_connections or max_connections_per_ip. */
    public void connectionRejected(String reason) {
        rejectedConnections.computeIfAbsent(reason, r -> Counter.builder(CONNECTIONS_REJECTED)
                .description("Client connections closed at accept by a listener limit, by which limit")
                .tag("reason", r)
                .register(registry)).increment();
    }

    /** Counts a revert of a configured route ({@code reason}: manual, error_rate, latency, ...). */
    public void revert(String route, String reason) {
        Objects.requireNonNull(reason, "reason");
        RouteMetrics rm = routes.get(route);
        if (rm == null) {
            log.debug("route={} revert not counted: no such route is configured", route);
            return;
        }
        rm.revert(reason).increment();
    }

    /**
     * Counts a notification by its outcome: {@code sent} (a 2xx, retries included), {@code failed} (given up
     * after its attempts) or {@code dropped} (its webhook's queue was full). A series appears with its first.
     */
    public void notification(String target, String result) {
        notifications.computeIfAbsent(List.of(target, result), k -> Counter.builder(NOTIFICATIONS)
                .description("Notifications to the ramp.notify webhooks, by target and outcome")
                .tag("target", target)
                .tag("result", result)
                .register(registry)).increment();
    }

    /** Counts a change of the TLS certificate files by whether it was served (a series appears with its first). */
    public void tlsReload(boolean ok) {
        tlsReloads.computeIfAbsent(ok, k -> Counter.builder(TLS_RELOADS)
                .description("Changes of the TLS certificate files, by whether the new certificates were served")
                .tag("result", k ? "success" : "failure")
                .register(registry)).increment();
    }

    /**
     * The certificates served now, by name ("default", or an SNI entry's hosts), with when each expires;
     * certificates no longer served lose their series.
     */
    public void tlsCertificates(Map<String, Instant> notAfter) {
        tlsExpiry.register(notAfter.entrySet().stream()
                .map(e -> MultiGauge.Row.of(Tags.of("certificate", e.getKey()), e.getValue().getEpochSecond()))
                .toList(), true);
    }

    /** Exposes the access log's dropped lines (its queue was full) as {@code ramp_access_log_dropped_total}. */
    public void accessLogDropped(java.util.function.LongSupplier dropped) {
        io.micrometer.core.instrument.FunctionCounter.builder(ACCESS_LOG_DROPPED, dropped, d -> d.getAsLong())
                .description("Access log lines dropped because the writer's queue was full (requests never wait)")
                .register(registry);
    }

    /** Counts a config reload attempt by its result. */
    public void reload(boolean ok) {
        (ok ? reloadSuccess : reloadFailure).increment();
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }

    /**
     * Two of Micrometer's process meters fail {@code promtool check metrics} (CI runs promtool on the exposition, it must
     * pass): {@code system_cpu_count} (a gauge with a {@code _count} suffix) is renamed
     * {@code system_cpu_available_processors}; {@code process_cpu_time_ns_total} (an abbreviated unit) is
     * dropped, {@code process_cpu_usage} covers it.
     */
    private static void promtoolClean(PrometheusMeterRegistry registry) {
        registry.config()
                .meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")))
                .meterFilter(new MeterFilter() {
                    @Override
                    public Meter.Id map(Meter.Id id) {
                        return id.getName().equals("system.cpu.count") ? id.withName("system.cpu.available.processors") : id;
                    }
                });
    }

    private static Duration[] buckets(double... millis) {
        Duration[] d = new Duration[millis.length];
        for (int i = 0; i < millis.length; i++) {
            d[i] = Duration.ofNanos(Math.round(millis[i] * 1_000_000));
        }
        return d;
    }
}
