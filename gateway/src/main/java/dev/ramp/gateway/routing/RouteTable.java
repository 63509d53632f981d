package dev.ramp.gateway.routing;

import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Immutable route matching by Host and path: the longest matching path prefix wins; among equal
 * prefixes an exact host beats a {@code *.suffix} wildcard, which beats {@code *}; then file order.
 * Prefixes are raw string prefixes, as in nginx {@code location} and Envoy {@code prefix}.
 *
 * <p>Cost does not grow with the number of routes: exact hosts are looked up in a hash map, wildcards by
 * each of the host's label suffixes, and {@code *} directly; within each, the path's prefixes are looked up
 * by the lengths that occur there, with one hash pass over the path ({@link Prefixes}). A match allocates
 * nothing (unless the host has upper-case letters). {@code RouteTableTest} checks it against the linear scan
 * it replaced on random tables and requests.
 *
 * @param <R> the route type the caller attaches to each entry
 */
public final class RouteTable<R> {

    /** A route as a match result: its prefix length and file order settle ties. */
    private record Entry<R>(R route, int prefixLength, int order) {}

    /** One host pattern's routes by path prefix. */
    private static final class Prefixes<R> {
        private final RegionMap<Entry<R>> byPrefix = new RegionMap<>();
        /** The prefix lengths that occur, while building; then {@link #lengths}, ascending. */
        private TreeSet<Integer> lengthSet = new TreeSet<>();
        private int[] lengths;

        void add(String prefix, Entry<R> e) {
            byPrefix.putIfAbsent(prefix, e); // the first in file order wins; a later twin is unreachable
            lengthSet.add(prefix.length());
        }

        void seal() {
            lengths = lengthSet.stream().mapToInt(Integer::intValue).toArray();
            lengthSet = null;
        }

        /** The entry with the longest prefix of {@code path}, or null. */
        Entry<R> longest(String path) {
            Entry<R> best = null;
            int hash = 0;
            int at = 0;
            for (int length : lengths) {
                if (length > path.length()) {
                    break;
                }
                for (; at < length; at++) {
                    hash = 31 * hash + path.charAt(at);
                }
                Entry<R> e = byPrefix.get(path, 0, length, hash);
                if (e != null) {
                    best = e;
                }
            }
            return best;
        }
    }

    private final RegionMap<Prefixes<R>> exact = new RegionMap<>();
    /** Keyed by the suffix with its dot: {@code *.example.com} is {@code .example.com}. */
    private final RegionMap<Prefixes<R>> wildcard = new RegionMap<>();
    private final Prefixes<R> any = new Prefixes<>();
    /** The routes in file order. */
    private final List<R> routes;

    private RouteTable(List<R> routes) {
        this.routes = routes;
    }

    /**
     * Builds a table; {@code hosts} and {@code prefix} extract each route's match (hosts lower-case).
     */
    public static <R> RouteTable<R> of(List<R> routes, Function<R, List<String>> hosts, Function<R, String> prefix) {
        RouteTable<R> t = new RouteTable<>(List.copyOf(routes));
        for (int i = 0; i < routes.size(); i++) {
            R r = routes.get(i);
            String p = prefix.apply(r);
            Entry<R> e = new Entry<>(r, p.length(), i);
            for (String host : hosts.apply(r)) {
                t.prefixes(host).add(p, e);
            }
        }
        t.any.seal();
        t.exact.forEachValue(Prefixes::seal);
        t.wildcard.forEachValue(Prefixes::seal);
        return t;
    }

    private Prefixes<R> prefixes(String hostPattern) {
        if (hostPattern.equals("*")) {
            return any;
        }
        boolean wild = hostPattern.startsWith("*.");
        RegionMap<Prefixes<R>> map = wild ? wildcard : exact;
        String key = wild ? hostPattern.substring(1) : hostPattern;
        Prefixes<R> p = map.get(key);
        if (p == null) {
            p = new Prefixes<>();
            map.putIfAbsent(key, p);
        }
        return p;
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
        Prefixes<R> p = exact.isEmpty() ? null : exact.get(h);
        if (p != null) {
            best = p.longest(path);
            bestRank = best == null ? -1 : 2;
        }
        if (!wildcard.isEmpty()) {
            // Every suffix of the host that starts at a dot, with at least one character before it, from the
            // shortest; its hash built from the right.
            int hash = 0;
            int power = 1;
            for (int i = h.length() - 1; i >= 1; i--) {
                hash += h.charAt(i) * power;
                power *= 31;
                if (h.charAt(i) == '.') {
                    Prefixes<R> w = wildcard.get(h, i, h.length(), hash);
                    Entry<R> e = w == null ? null : w.longest(path);
                    if (better(e, 1, best, bestRank)) {
                        best = e;
                        bestRank = 1;
                    }
                }
            }
        }
        Entry<R> e = any.longest(path);
        if (better(e, 0, best, bestRank)) {
            best = e;
        }
        return best == null ? null : best.route;
    }

    /** Longer prefix, then higher host rank, then earlier in the file. */
    private static <R> boolean better(Entry<R> e, int rank, Entry<R> best, int bestRank) {
        if (e == null) {
            return false;
        }
        if (best == null || e.prefixLength != best.prefixLength) {
            return best == null || e.prefixLength > best.prefixLength;
        }
        return rank != bestRank ? rank > bestRank : e.order < best.order;
    }

    /** The routes in file order (made once: the guard's timer asks for them on every tick). */
    public List<R> routes() {
        return routes;
    }

    @Override
    public String toString() {
        return "RouteTable" + routes;
    }
}
