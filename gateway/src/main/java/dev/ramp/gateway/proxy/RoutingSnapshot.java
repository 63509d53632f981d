package dev.ramp.gateway.proxy;

import dev.ramp.gateway.config.Cidr;
import dev.ramp.gateway.config.GatewayConfig;
import dev.ramp.gateway.routing.RouteTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the data path reads for one request, immutable. A reload builds a new snapshot and swaps it
 * in atomically; a request keeps the snapshot it started with.
 */
public final class RoutingSnapshot {
    private final GatewayConfig config;
    private final RouteTable<LiveRoute> table;
    private final Map<String, LiveRoute> byName;
    private final Cidr[] trusted;
    private final RouteObserver unrouted;
    private final AccessLog accessLog;

    public RoutingSnapshot(GatewayConfig config, List<LiveRoute> routes) {
        this(config, routes, RouteObserver.NOOP);
    }

    /** @param unrouted what requests no route matches are reported to */
    public RoutingSnapshot(GatewayConfig config, List<LiveRoute> routes, RouteObserver unrouted) {
        this(config, routes, unrouted, null);
    }

    /** @param accessLog where answered requests are logged; null when {@code ramp.access-log} is off */
    public RoutingSnapshot(GatewayConfig config, List<LiveRoute> routes, RouteObserver unrouted, AccessLog accessLog) {
        this.config = config;
        this.accessLog = accessLog;
        this.unrouted = unrouted;
        this.table = RouteTable.of(routes, r -> r.config().match().hosts(), r -> r.config().match().pathPrefix());
        Map<String, LiveRoute> m = new LinkedHashMap<>();
        routes.forEach(r -> m.put(r.name(), r));
        this.byName = Map.copyOf(m);
        this.trusted = config.trustedSources().toArray(Cidr[]::new);
    }

    public GatewayConfig config() {
        return config;
    }

    /** What requests no route matches are reported to. */
    public RouteObserver unrouted() {
        return unrouted;
    }

    /** Where answered requests are logged; null when the access log is off. */
    public AccessLog accessLog() {
        return accessLog;
    }

    public RouteTable<LiveRoute> table() {
        return table;
    }

    public LiveRoute route(String name) {
        return byName.get(name);
    }

    /** Routes in config order. */
    public List<LiveRoute> routes() {
        return table.routes();
    }

    /** Whether a peer (IP literal, or a view of one) may send override headers and have its X-Forwarded-For kept. */
    public boolean trusted(CharSequence peerIp) {
        if (trusted.length == 0 || peerIp == null) {
            return false;
        }
        for (Cidr c : trusted) {
            if (c.contains(peerIp)) {
                return true;
            }
        }
        return false;
    }
}
