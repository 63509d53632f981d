package dev.ramp.gateway.control;

import dev.ramp.gateway.config.RouteConfig;
import dev.ramp.gateway.events.EventLog;
import dev.ramp.gateway.events.RouteAdded;
import dev.ramp.gateway.events.RouteRemoved;
import dev.ramp.gateway.events.UpstreamChanged;
import dev.ramp.gateway.events.WeightChanged;
import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.proxy.RoutingSnapshot;
import dev.ramp.gateway.routing.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a config swap changed, as events: routes added and removed, canary weights and upstreams changed.
 * A pure diff of two snapshots, so a reload records exactly what differs and nothing else.
 */
public final class ConfigChanges {
    private static final Logger log = LoggerFactory.getLogger(ConfigChanges.class);

    private ConfigChanges() {}

    /**
     * The changes from {@code previous} to {@code next}: per route in {@code next}'s order, its addition or
     * its weight change then upstream changes (stable, canary); then the removals.
     *
     * @param previous the routes of the replaced snapshot, by name
     */
    public static List<EventLog.Event> between(Map<String, LiveRoute> previous, RoutingSnapshot next) {
        List<EventLog.Event> out = new ArrayList<>();
        for (LiveRoute r : next.routes()) {
            RouteConfig now = r.config();
            LiveRoute old = previous.get(r.name());
            if (old == null) {
                out.add(new RouteAdded(r.name(), now.weight()));
                continue;
            }
            RouteConfig was = old.config();
            if (!was.weight().equals(now.weight())) {
                out.add(new WeightChanged(r.name(), was.weight(), now.weight(), r.reverted()));
                log.info("route={} canary weight {} -> {}", r.name(), was.weight(), now.weight());
            }
            for (Version v : Version.values()) {
                if (!old.upstream(v).equals(r.upstream(v))) {
                    out.add(new UpstreamChanged(r.name(), v, old.upstream(v), r.upstream(v)));
                }
            }
        }
        previous.keySet().stream().filter(name -> next.route(name) == null)
                .forEach(name -> out.add(new RouteRemoved(name)));
        return out;
    }
}
