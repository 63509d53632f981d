package dev.ramp.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    record R(String name, List<String> hosts, String prefix) {}

    private final RouteTable<R> table = RouteTable.of(List.of(
            new R("root", List.of("*"), "/"),
            new R("api", List.of("*"), "/api"),
            new R("api-v2", List.of("*"), "/api/v2"),
            new R("shop-api", List.of("shop.example.com"), "/api"),
            new R("wild-api", List.of("*.example.com"), "/api"),
            new R("admin-only", List.of("admin.example.com"), "/admin")), R::hosts, R::prefix);

    private String match(String host, String path) {
        R r = table.match(host, path);
        return r == null ? null : r.name();
    }

    @Test
    void longestPrefixWins() {
        assertThat(match("x", "/api/v2/items")).isEqualTo("api-v2");
        assertThat(match("x", "/api/v1")).isEqualTo("api");
        assertThat(match("x", "/other")).isEqualTo("root");
    }

    @Test
    void atEqualPrefixTheMostSpecificHostWins() {
        assertThat(match("shop.example.com", "/api/x")).isEqualTo("shop-api");
        assertThat(match("SHOP.Example.com", "/api/x")).isEqualTo("shop-api");
        assertThat(match("blog.example.com", "/api/x")).isEqualTo("wild-api");
        assertThat(match("example.com", "/api/x")).isEqualTo("api");
    }

    @Test
    void aLongerPrefixBeatsAMoreSpecificHost() {
        assertThat(match("shop.example.com", "/api/v2/x")).isEqualTo("api-v2");
    }

    @Test
    void noMatchIsNull() {
        RouteTable<R> t = RouteTable.of(List.of(new R("a", List.of("a.com"), "/a")), R::hosts, R::prefix);
        assertThat(t.match("b.com", "/a")).isNull();
        assertThat(t.match("a.com", "/b")).isNull();
        assertThat(t.match(null, "/a")).isNull();
    }

    @Test
    void routesKeepConfigOrder() {
        assertThat(table.routes()).extracting(R::name)
                .containsExactly("root", "api", "api-v2", "shop-api", "wild-api", "admin-only");
    }

    @Test
    void wildcardsMatchEverySuffixAtADotButNotTheBareSuffix() {
        RouteTable<R> t = RouteTable.of(List.of(new R("w", List.of("*.example.com"), "/")), R::hosts, R::prefix);
        assertThat(t.match("a.example.com", "/")).isNotNull();
        assertThat(t.match("x.a.example.com", "/")).isNotNull();
        assertThat(t.match("example.com", "/")).isNull();
        assertThat(t.match(".example.com", "/")).isNull();
        assertThat(t.match("aexample.com", "/")).isNull();
    }

    /** The indexed table answers exactly as the linear scan it replaced, on random tables and requests. */
    @Test
    void agreesWithTheLinearScanOnRandomTablesAndRequests() {
        String[] hostPatterns = {"a.com", "b.a.com", "x.b.a.com", "*.a.com", "*.b.a.com", "*.com", "*", "c.org",
                                 "*.org", "*."};
        String[] prefixes = {"/", "/a", "/a/", "/ab", "/a/b", "/b", "/a/b/c", ""};
        String[] hosts = {"a.com", "b.a.com", "x.b.a.com", "y.x.b.a.com", "B.A.COM", "com", ".a.com", "c.org",
                          "d.org", "z.", "", null, "q.com", "a.com."};
        String[] pieces = {"/", "a", "b", "c", "/a", "/b", "x"};
        Random random = new Random(31);
        for (int round = 0; round < 2_000; round++) {
            List<R> routes = new ArrayList<>();
            int n = 1 + random.nextInt(12);
            for (int i = 0; i < n; i++) {
                List<String> hs = new ArrayList<>();
                for (int k = 1 + random.nextInt(3); k > 0; k--) {
                    hs.add(hostPatterns[random.nextInt(hostPatterns.length)]);
                }
                routes.add(new R("r" + i, hs, prefixes[random.nextInt(prefixes.length)]));
            }
            RouteTable<R> indexed = RouteTable.of(routes, R::hosts, R::prefix);
            for (int q = 0; q < 30; q++) {
                StringBuilder path = new StringBuilder();
                for (int k = random.nextInt(5); k > 0; k--) {
                    path.append(pieces[random.nextInt(pieces.length)]);
                }
                String host = hosts[random.nextInt(hosts.length)];
                assertThat(indexed.match(host, path.toString())).as("%s %s in %s", host, path, routes)
                        .isEqualTo(linearMatch(routes, host, path.toString()));
            }
        }
    }

    /** The matcher before the index: every route, longest prefix, then host rank, then file order. */
    private static R linearMatch(List<R> routes, String host, String path) {
        String h = host == null ? "" : host.toLowerCase(Locale.ROOT);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < routes.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt((Integer i) -> -routes.get(i).prefix().length()).thenComparingInt(i -> i));
        R best = null;
        int bestRank = -1;
        for (int i : order) {
            R e = routes.get(i);
            if (best != null && e.prefix().length() < best.prefix().length()) {
                break;
            }
            if (!path.startsWith(e.prefix())) {
                continue;
            }
            int rank = -1;
            for (String p : e.hosts()) {
                if (p.equals("*")) {
                    rank = Math.max(rank, 0);
                } else if (p.startsWith("*.")) {
                    int suffix = p.length() - 1;
                    if (h.length() > suffix && h.regionMatches(h.length() - suffix, p, 1, suffix)) {
                        rank = Math.max(rank, 1);
                    }
                } else if (p.equals(h)) {
                    rank = 2;
                }
            }
            if (rank > bestRank) {
                best = e;
                bestRank = rank;
            }
        }
        return best;
    }
}
