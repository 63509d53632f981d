package dev.ramp.gateway.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The names Connection headers list: parsed once, every Connection header, any case, options left out. */
class ConnectionTokensTest {

    private static FlatHeaders headers(String... connectionValues) {
        FlatHeaders h = new FlatHeaders();
        h.add("Host", "x");
        for (String v : connectionValues) {
            h.add("Connection", v);
        }
        return h;
    }

    @Test
    void onlyConnectionOptionsListNothing() {
        assertThat(ConnectionTokens.of(headers())).isSameAs(ConnectionTokens.NONE);
        assertThat(ConnectionTokens.of(headers("keep-alive"))).isSameAs(ConnectionTokens.NONE);
        assertThat(ConnectionTokens.of(headers(" Close ", "KEEP-ALIVE, ,"))).isSameAs(ConnectionTokens.NONE);
    }

    @Test
    void everyConnectionHeaderCountsInAnyCaseTrimmed() {
        ConnectionTokens t = ConnectionTokens.of(headers("keep-alive, X-Private", "\tx-other ,close"));
        assertThat(t.isEmpty()).isFalse();
        assertThat(t.contains("x-private")).isTrue();
        assertThat(t.contains("X-PRIVATE")).isTrue();
        assertThat(t.contains(AsciiString.of("X-Other"))).isTrue();
        assertThat(t.contains("X-Privat")).isFalse();
        assertThat(t.contains("X-Private2")).isFalse();
        assertThat(t.contains("close")).isFalse();
        assertThat(t.contains("")).isFalse();
    }

    /** The hash and binary search answer as a plain case-insensitive scan does, collisions included. */
    @Test
    void agreesWithAScanOnRandomLists() {
        Random random = new Random(7);
        String alphabet = "aAbB-";   // a small alphabet: many equal hashes and equal names
        for (int round = 0; round < 2_000; round++) {
            List<String> listed = new ArrayList<>();
            int n = random.nextInt(20);
            for (int i = 0; i < n; i++) {
                listed.add(word(random, alphabet));
            }
            ConnectionTokens t = ConnectionTokens.of(headers(String.join(", ", listed)));
            for (int probe = 0; probe < 20; probe++) {
                String name = word(random, alphabet);
                boolean expected = listed.stream().anyMatch(name::equalsIgnoreCase);
                assertThat(t.contains(name)).as("%s in %s", name, listed).isEqualTo(expected);
            }
        }
    }

    private static String word(Random random, String alphabet) {
        StringBuilder s = new StringBuilder();
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    @Test
    void stripRemovesWhatASecondConnectionHeaderLists() {
        FlatHeaders h = headers("keep-alive", "X-Private");
        h.add("X-Private", "secret").add("x-user-id", "u1");
        Headers.stripHopByHop(h);
        assertThat(h.names()).containsExactlyInAnyOrder("Host", "x-user-id");
    }

    @Test
    void aCloseInASecondConnectionHeaderEndsKeepAlive() {
        assertThat(Headers.keepAlive(request(HttpVersion.HTTP_1_1, "x-a", "close"))).isFalse();
        assertThat(Headers.keepAlive(request(HttpVersion.HTTP_1_0, "x-a", "Keep-Alive"))).isTrue();
        assertThat(Headers.keepAlive(request(HttpVersion.HTTP_1_0, "x-a"))).isFalse();
        assertThat(Headers.keepAlive(request(HttpVersion.HTTP_1_1))).isTrue();
    }

    private static DefaultHttpRequest request(HttpVersion version, String... connectionValues) {
        return new DefaultHttpRequest(version, HttpMethod.GET, "/", headers(connectionValues));
    }
}
