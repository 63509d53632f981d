package dev.ramp.gateway.config;

import java.util.List;
import java.util.Set;

/**
 * A route's dark launch ({@code mirror { }}): which share of the users stable serves also have a copy of
 * their requests sent to the canary, which methods are copied, whether the two answers are compared, and how
 * many copies may be in flight at once. A route has none (null in {@link RouteConfig}) while its
 * {@code percent} is 0%, the default.
 *
 * @param percent       the share of users, by their bucket, whose requests are copied (above 0%)
 * @param methods       the request methods copied, upper case (GET and HEAD by default)
 * @param compare       whether bodies are compared (digests; JSON by value); statuses always are
 * @param ignoreHeaders response headers the comparison skips (accepted for the contract; headers are not
 *                      compared yet)
 * @param maxInFlight   copies in flight at once for the route; more are dropped and counted
 */
public record MirrorSettings(Percent percent, Set<String> methods, boolean compare, List<String> ignoreHeaders,
                             int maxInFlight) {
    public MirrorSettings {
        methods = Set.copyOf(methods);
        ignoreHeaders = List.copyOf(ignoreHeaders);
    }
}
