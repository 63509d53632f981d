package dev.ramp.gateway.metrics;

import dev.ramp.gateway.config.RouteConfig;
import dev.ramp.gateway.config.TargetingRule;
import dev.ramp.gateway.proxy.RouteState;
import dev.ramp.gateway.routing.Version;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.noop.NoopCounter;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The meters of one route name that do not depend on upstream versions: {@code ramp_requests_total},
 * {@code ramp_fallbacks_total}, {@code ramp_reverts_total}, {@code ramp_rule_matches_total} and the two
 * {@code ramp_canary_weight_ratio} values ({@link WeightGauges} reads them at scrape time). Kept across reloads while
 * the route exists, so its counters never reset (but the rule counters when the rules change); the weights come
 * from the route's current config and live state, re-pointed by every reload.
 */
final class RouteMetrics {
    /** The {@code served_by} values, indexed by {@link Version#ordinal()}, then the gateway itself. */
    private static final String[] SERVED_BY = servedBy();
    private static final int GATEWAY = SERVED_BY.length - 1;
    private static final String[] STATUS_CLASS = {"1xx", "2xx", "3xx", "4xx", "5xx"};

    final String name;
    private final MeterRegistry registry;
    private final MeterScope scope;
    private final AtomicReferenceArray<Counter> requests =
            new AtomicReferenceArray<>(SERVED_BY.length * STATUS_CLASS.length);
    private final ConcurrentHashMap<String, Counter> fallbacks = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> reverts = new ConcurrentHashMap<>();
    private volatile Bound current; // null for the no-route pseudo route
    /** ramp_rule_matches_total per rule index of the bound config; replaced whole when the rules change. */
    private volatile Counter[] ruleMatches = new Counter[0];
    private List<TargetingRule> boundRules = List.of(); // guarded by RampMetrics.bind's lock
    private MeterScope ruleScope;

    /** What the weight gauges read: the route's config of the current snapshot and its live state. */
    private record Bound(RouteConfig config, RouteState state) {
        double effective() {
            return state.effectiveBasisPoints(config.weight().basisPoints()) / 10_000.0;
        }
    }

    RouteMetrics(MeterRegistry registry, String name) {
        this.registry = registry;
        this.scope = new MeterScope(registry);
        this.name = name;
    }

    /**
     * Points the weight gauges at the route's config and state (registering them on the first bind), and
     * registers a rule-match counter for each targeting rule, at zero, so a rule that never matches shows. When
     * the rules change, the old counters are removed: index N may now be another rule.
     */
    void bind(RouteConfig config, RouteState state) {
        boolean first = current == null;
        current = new Bound(config, state);
        if (first || !config.rules().equals(boundRules)) {
            if (ruleScope != null) {
                ruleScope.retire();
            }
            ruleScope = new MeterScope(registry);
            MeterScope rs = ruleScope;
            Counter[] counters = new Counter[config.rules().size()];
            for (int i = 0; i < counters.length; i++) {
                Tags tags = Tags.of("route", name, "rule", Integer.toString(i));
                counters[i] = rs.register(() -> Counter.builder(RampMetrics.RULE_MATCHES)
                                .description("Requests whose version a targeting rule decided, by rule index")
                                .tags(tags).register(registry),
                        () -> new NoopCounter(new Meter.Id(RampMetrics.RULE_MATCHES, tags, null, null,
                                Meter.Type.COUNTER)));
            }
            boundRules = config.rules();
            ruleMatches = counters;
        }
    }

    /** Counts a request targeting rule {@code rule} decided; an index the current rules lack is dropped. */
    void ruleMatch(int rule) {
        Counter[] c = ruleMatches;
        if (rule >= 0 && rule < c.length) {
            c[rule].increment();
        }
    }

    /** The configured canary share, 0..1, for {@link WeightGauges}; NaN before the first bind. */
    double configuredWeight() {
        Bound b = current;
        return b == null ? Double.NaN : b.config().weight().ratio();
    }

    /** The canary share in effect now (0 while reverted), for {@link WeightGauges}; NaN before the first bind. */
    double effectiveWeight() {
        Bound b = current;
        return b == null ? Double.NaN : b.effective();
    }

    /** Counts one answer to a client; {@code servedBy} null means the gateway answered itself. */
    void request(Version servedBy, int status) {
        int s = servedBy == null ? GATEWAY : servedBy.ordinal();
        int c = Math.max(0, Math.min(STATUS_CLASS.length - 1, status / 100 - 1));
        int i = s * STATUS_CLASS.length + c;
        Counter counter = requests.get(i);
        if (counter == null) {
            counter = createRequests(i, s, c);
        }
        counter.increment();
    }

    private Counter createRequests(int i, int servedBy, int statusClass) {
        Tags tags = Tags.of("route", name, "served_by", SERVED_BY[servedBy], "status_class", STATUS_CLASS[statusClass]);
        Counter c = counter(RampMetrics.REQUESTS, "Answers sent to clients, by who produced them", tags);
        return requests.compareAndSet(i, null, c) ? c : requests.get(i);
    }

    Counter fallback(String reason) {
        Counter c = fallbacks.get(reason);
        return c != null ? c : fallbacks.computeIfAbsent(reason, r -> counter(RampMetrics.FALLBACKS,
                "Canary attempts retried on stable, by why the canary attempt failed", Tags.of("route", name, "reason", r)));
    }

    Counter revert(String reason) {
        return reverts.computeIfAbsent(reason, r -> counter(RampMetrics.REVERTS,
                "Times the canary was taken out of traffic, by the guard or an operator",
                Tags.of("route", name, "reason", r)));
    }

    private Counter counter(String meter, String help, Tags tags) {
        return scope.register(() -> Counter.builder(meter).description(help).tags(tags).register(registry),
                () -> new NoopCounter(new Meter.Id(meter, tags, null, null, Meter.Type.COUNTER)));
    }

    private static String[] servedBy() {
        Version[] versions = Version.values();
        String[] tags = new String[versions.length + 1];
        for (Version v : versions) {
            tags[v.ordinal()] = v.tag();
        }
        tags[versions.length] = "gateway";
        return tags;
    }

    void retire() {
        scope.retire();
        if (ruleScope != null) {
            ruleScope.retire();
        }
    }
}
