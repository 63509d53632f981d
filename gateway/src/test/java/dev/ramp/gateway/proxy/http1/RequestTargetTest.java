package dev.ramp.gateway.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The host and path that routing reads from a request. */
class RequestTargetTest {

    @Test
    void theHostLosesItsPortButAnIpv6LiteralKeepsItsBrackets() {
        assertThat(RequestTarget.host("shop.example.com:8080")).isEqualTo("shop.example.com");
        assertThat(RequestTarget.host("shop.example.com")).isEqualTo("shop.example.com");
        assertThat(RequestTarget.host("[::1]:8080")).isEqualTo("[::1]");
        assertThat(RequestTarget.host("[::1")).isEqualTo("[::1");
        assertThat(RequestTarget.host(null)).isNull();
    }

    @Test
    void thePathComesFromOriginOrAbsoluteFormWithoutTheQuery() {
        assertThat(RequestTarget.path("/a/b?x=1")).isEqualTo("/a/b");
        assertThat(RequestTarget.path("/a")).isEqualTo("/a");
        assertThat(RequestTarget.path("http://h:1/c?d")).isEqualTo("/c");
        assertThat(RequestTarget.path("http://h:1")).isEqualTo("/");
        assertThat(RequestTarget.path("*")).isNull();
        assertThat(RequestTarget.path("")).isNull();
    }

    private static String rewrite(String uri, String host) {
        io.netty.handler.codec.http.HttpRequest req = new io.netty.handler.codec.http.DefaultHttpRequest(
                io.netty.handler.codec.http.HttpVersion.HTTP_1_1, io.netty.handler.codec.http.HttpMethod.GET, uri);
        String problem = RequestTarget.toOriginForm(req, host);
        return problem != null ? "400 " + problem : req.uri();
    }

    @Test
    void anAbsoluteFormTargetIsForwardedInOriginFormAndMustNameTheHostHeadersAuthority() {
        assertThat(rewrite("/a?b", "h")).isEqualTo("/a?b");
        assertThat(rewrite("http://h:8080/a?b", "H:8080")).isEqualTo("/a?b");
        assertThat(rewrite("http://h", "h")).isEqualTo("/");
        assertThat(rewrite("http://h?x=1", "h")).isEqualTo("/?x=1");
        assertThat(rewrite("http://h/a", null)).isEqualTo("/a");
        assertThat(rewrite("http://evil.test/a", "shop.test")).isEqualTo(
                "400 request target authority \"evil.test\" differs from Host \"shop.test\"");
    }

    @Test
    void theHostCacheCutsARepeatedHostOnceAndFollowsAChange() {
        RequestTarget.HostCache cache = new RequestTarget.HostCache();
        String first = cache.host(new io.netty.util.AsciiString("shop.test:8080"));
        assertThat(first).isEqualTo("shop.test");
        assertThat(cache.host(new io.netty.util.AsciiString("shop.test:8080"))).isSameAs(first);
        assertThat(cache.host("api.test")).isEqualTo("api.test");
        assertThat(cache.host(null)).isNull();
    }
}
