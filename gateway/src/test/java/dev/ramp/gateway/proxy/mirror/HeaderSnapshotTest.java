package dev.ramp.gateway.proxy.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.proxy.mirror.HeaderSnapshot.HeaderDiff;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeaderSnapshotTest {

    private static HeaderSnapshot of(List<String> ignore, String... nameValues) {
        List<Map.Entry<String, String>> h = new ArrayList<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            h.add(Map.entry(nameValues[i], nameValues[i + 1]));
        }
        return HeaderSnapshot.of(h, ignore);
    }

    @Test
    void namesCompareInAnyCaseAndOrderValuesExactly() {
        HeaderSnapshot a = of(List.of(), "Content-Type", "application/json", "Cache-Control", "max-age=60");
        HeaderSnapshot b = of(List.of(), "cache-control", "max-age=60", "CONTENT-TYPE", "application/json");
        assertThat(HeaderSnapshot.diff(a, b)).isEmpty();
        HeaderSnapshot c = of(List.of(), "content-type", "application/json", "cache-control", "max-age=0");
        assertThat(HeaderSnapshot.diff(a, c)).containsExactly(
                new HeaderDiff("cache-control", "max-age=60", "max-age=0", false));
        assertThat(HeaderSnapshot.diff(a, of(List.of(), "content-type", "application/json")))
                .containsExactly(new HeaderDiff("cache-control", "max-age=60", null, false));
    }

    @Test
    void framingHopByHopDateTheGatewaysOwnAndListedHeadersAreSkipped() {
        HeaderSnapshot a = of(List.of("ETag", "server"), "Content-Length", "10", "Date", "Mon", "Connection", "close",
                "Keep-Alive", "timeout=5", "ETag", "\"1\"", "Server", "a", "X-Ramp-Version", "stable", "Vary", "Accept");
        HeaderSnapshot b = of(List.of("ETag", "server"), "Transfer-Encoding", "chunked", "Date", "Tue", "etag", "\"2\"",
                "server", "b", "vary", "Accept");
        assertThat(HeaderSnapshot.diff(a, b)).isEmpty();
    }

    @Test
    void repeatedHeadersKeepTheirOrderAndSecretLookingValuesAreNeverKept() {
        HeaderSnapshot a = of(List.of(), "Set-Cookie", "session=abc123", "Link", "</a>", "Link", "</b>",
                "X-Api-Key", "k1");
        HeaderSnapshot b = of(List.of(), "Set-Cookie", "session=zzz999", "Link", "</b>", "Link", "</a>",
                "X-Api-Key", "k2");
        List<HeaderDiff> d = HeaderSnapshot.diff(a, b);
        assertThat(d).containsExactly(
                new HeaderDiff("link", "</a>, </b>", "</b>, </a>", false),
                new HeaderDiff("set-cookie", null, null, true),
                new HeaderDiff("x-api-key", null, null, true));
        assertThat(d.toString()).doesNotContain("abc123").doesNotContain("zzz999").doesNotContain("k1");
        assertThat(HeaderSnapshot.secret("Authorization")).isTrue();
        assertThat(HeaderSnapshot.secret("Proxy-Authorization")).isTrue();
        assertThat(HeaderSnapshot.secret("Cookie")).isTrue();
        assertThat(HeaderSnapshot.secret("Cache-Control")).isFalse();
    }

    @Test
    void longValuesAreClipped() {
        String longValue = "v".repeat(1000);
        List<HeaderDiff> d = HeaderSnapshot.diff(of(List.of(), "X-Long", longValue), of(List.of(), "X-Long", "w"));
        assertThat(d.get(0).stable()).hasSize(HeaderSnapshot.VALUE_KEPT);
    }
}
