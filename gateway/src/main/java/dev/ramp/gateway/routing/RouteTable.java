package dev.ramp.gateway.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Immutable route matching by Host and path: the longest matching path prefix wins; among equal
 * prefixes an exact host beats a {@code *.suffix} wildcard, which beats {@code *}; then file order.
 * Prefixes are raw string prefixes, as in nginx {@code location} and Envoy {@code prefix}.
 *
 * @param <R> the route type the caller attaches to each entry
 */
public final class RouteTable<R> {

    private record Entry<R>(R route, String[] hosts, String prefix, int order) {}

    private final List<Entry<R>> entries;
    /** The routes in file order. */
    private final List<R> routes;

    private RouteTable(List<Entry<R>> entries, List<R> routes) {
        this.entries = entries;
        this.routes = routes;
    }

    /**
     * Builds a table; {@code hosts} and {@code prefix} extract each route's match (hosts lower-case).
     */
    public static <R> RouteTable<R> of(List<R> routes, Function<R, List<String>> hosts, Function<R, String> prefix) {
        List<Entry<R>> list = new ArrayList<>();
        for (int i = 0; i < routes.size(); i++) {
            R r = routes.get(i);
            list.add(new Entry<>(r, hosts.apply(r).toArray(String[]::new), prefix.apply(r), i));
        }
        // Longest prefix first, so the first hit per host class is the best for that class.
        list.sort(Comparator.comparingInt((Entry<R> e) -> -e.prefix.length()).thenComparingInt(e -> e.order));
        return new RouteTable<>(List.copyOf(list), List.copyOf(routes));
    }

    /**
     * The best route for a request, or null.
     *
     * @param host the Host header without port (any case), may be null
     * @param path the request path (without query)
     */
    public R match(String host, String path) {
        String h = host == null ? "" : host.toLowerCase(Locale.ROOT);
        Entry<R> best = null;
        int bestRank = -1;
        for (Entry<R> e : entries) {
            if (best != null && e.prefix.length() < best.prefix.length()) {
                break; // sorted by prefix length: nothing longer follows
            }
            if (!path.startsWith(e.prefix)) {
                continue;
            }
            int rank = hostRank(e.hosts, h);
            if (rank > bestRank) {
                best = e;
                bestRank = rank;
            }
        }
        return best == null ? null : best.route;
    }

    /** 2 exact, 1 wildcard suffix, 0 any, -1 no match. */
    private static int hostRank(String[] patterns, String host) {
        int rank = -1;
        for (String p : patterns) {
            if (p.equals("*")) {
                rank = Math.max(rank, 0);
            } else if (p.startsWith("*.")) {
                int suffix = p.length() - 1; // ".example.com"
                if (host.length() > suffix && host.regionMatches(host.length() - suffix, p, 1, suffix)) {
                    rank = Math.max(rank, 1);
                }
            } else if (p.equals(host)) {
                return 2;
            }
        }
        return rank;
    }

    /** The routes in file order (made once: the guard's timer asks for them on every tick). */
    public List<R> routes() {
        return routes;
    }
}
