package dev.ramp.gateway.events;

import static java.util.Objects.requireNonNull;

import dev.ramp.gateway.config.Upstream;
import dev.ramp.gateway.routing.Version;

/**
 * A reload changed the url or version of a route's stable or canary upstream.
 *
 * @param route the route
 * @param role which of the two
 * @param from the upstream before
 * @param to the upstream now
 */
public record UpstreamChanged(String route, Version role, Upstream from, Upstream to) implements EventLog.Event {
    static final String TYPE = "upstream_change";

    public UpstreamChanged {
        requireNonNull(route, "route");
        requireNonNull(role, "role");
        requireNonNull(from, "from");
        requireNonNull(to, "to");
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String message() {
        return role.tag() + " upstream " + from.url() + " (" + from.version() + ") -> " + to.url() + " ("
               + to.version() + ")";
    }
}
