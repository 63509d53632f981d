package dev.ramp.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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
}
