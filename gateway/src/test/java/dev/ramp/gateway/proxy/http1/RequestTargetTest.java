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
}
