package dev.ramp.gateway.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The flat header container keeps Netty's HttpHeaders semantics the data path and Netty's codecs rely on. */
class FlatHeadersTest {

    private static List<String> walk(HttpHeaders h) {
        List<String> out = new ArrayList<>();
        var it = h.iteratorCharSequence();
        while (it.hasNext()) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            out.add(e.getKey() + "=" + e.getValue());
        }
        return out;
    }

    @Test
    void namesMatchWhateverTheirCaseAndTypeAndOrderIsKept() {
        HttpHeaders h = new FlatHeaders();
        h.add(AsciiString.of("Content-Type"), "text/plain");
        h.add("X-A", "1");
        h.add("x-a", "2");
        h.add(HttpHeaderNames.CACHE_CONTROL, "no-store");
        assertThat(h.get("content-type")).isEqualTo("text/plain");
        assertThat(h.get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("text/plain");
        assertThat(h.getAll("X-A")).containsExactly("1", "2");
        assertThat(h.contains("CACHE-CONTROL")).isTrue();
        assertThat(h.get("missing")).isNull();
        assertThat(h.getAll("missing")).isEmpty();
        assertThat(h.size()).isEqualTo(4);
        assertThat(walk(h)).containsExactly("Content-Type=text/plain", "X-A=1", "x-a=2", "cache-control=no-store");
    }

    @Test
    void setReplacesTheFirstInPlaceAndDropsTheRest_removeDropsAll() {
        HttpHeaders h = new FlatHeaders();
        h.add("A", "1").add("B", "x").add("b", "y").add("C", "3");
        h.set("B", "z");
        assertThat(walk(h)).containsExactly("A=1", "B=z", "C=3");
        h.set("D", 4);
        h.remove("a");
        assertThat(walk(h)).containsExactly("B=z", "C=3", "D=4");
        h.add("c", "5");
        h.remove(AsciiString.of("C"));
        assertThat(walk(h)).containsExactly("B=z", "D=4");
        h.clear();
        assertThat(h.isEmpty()).isTrue();
        assertThat(walk(h)).isEmpty();
    }

    @Test
    void growsPastItsFirstArrayAndCopiesAreIndependent() {
        HttpHeaders h = new FlatHeaders();
        for (int i = 0; i < 40; i++) {
            h.add("H" + i, Integer.toString(i));
        }
        HttpHeaders copy = h.copy();
        h.remove("H0");
        assertThat(h.size()).isEqualTo(39);
        assertThat(copy.size()).isEqualTo(40);
        assertThat(copy.get("h39")).isEqualTo("39");
        assertThat(copy.getInt("H7")).isEqualTo(7);
    }

    @Test
    void commaSeparatedTokensAreFoundAsNettyFindsThem() {
        HttpHeaders h = new FlatHeaders();
        h.add("Connection", "keep-alive, Upgrade");
        h.add("Transfer-Encoding", "gzip");
        h.add("transfer-encoding", "chunked");
        assertThat(h.containsValue("connection", "upgrade", true)).isTrue();
        assertThat(h.containsValue("connection", "close", true)).isFalse();
        assertThat(io.netty.handler.codec.http.HttpUtil.isTransferEncodingChunked(
                new io.netty.handler.codec.http.DefaultHttpRequest(io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
                        io.netty.handler.codec.http.HttpMethod.POST, "/", h))).isTrue();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"close", "Close", "keep-alive, close", " close ,x",
        "\tclose\t", "x,,close", "closed", "close-ish, x", "", ",", "x, y", "CLOSE,", "a, clos"})
    void containsValueAnswersAsNettysDefaultHeadersDo(String value) {
        HttpHeaders ours = new FlatHeaders().add("Connection", value);
        HttpHeaders netty = io.netty.handler.codec.http.DefaultHttpHeadersFactory.headersFactory().withValidation(false)
                .newHeaders().add("Connection", value);
        for (boolean ignoreCase : new boolean[] {true, false}) {
            assertThat(ours.containsValue("connection", "close", ignoreCase))
                    .as("'%s' ignoreCase=%s", value, ignoreCase)
                    .isEqualTo(netty.containsValue("connection", "close", ignoreCase));
        }
        assertThat(Headers.keepAlive(new io.netty.handler.codec.http.DefaultHttpRequest(
                io.netty.handler.codec.http.HttpVersion.HTTP_1_1, io.netty.handler.codec.http.HttpMethod.GET, "/", ours)))
                .as("'%s'", value).isEqualTo(!netty.containsValue("connection", "close", true));
    }

    @Test
    void encodeWritesEveryLineAsNettysEncoderDoesAndGrowsItsScratchForBigHeads() {
        FlatHeaders h = new FlatHeaders();
        h.add(io.netty.util.AsciiString.cached("Host"), new io.netty.util.AsciiString("a.test"));
        h.add("X-Latin", "caf\u00e9");
        h.add("X-Wide", "\u20ac1");
        h.add("X-Big", "v".repeat(5000));
        io.netty.buffer.ByteBuf buf = io.netty.buffer.Unpooled.directBuffer(16);
        try {
            h.encode(buf);
            byte[] bytes = new byte[buf.readableBytes()];
            buf.getBytes(0, bytes);
            assertThat(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo(
                    "Host: a.test\r\nX-Latin: caf\u00e9\r\nX-Wide: ?1\r\nX-Big: " + "v".repeat(5000) + "\r\n");
        } finally {
            buf.release();
        }
        io.netty.buffer.ByteBuf again = io.netty.buffer.Unpooled.buffer();
        FlatHeaders one = new FlatHeaders();
        one.add("A", "b");
        one.encode(again);
        assertThat(again.toString(java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("A: b\r\n");
        again.release();
    }

    @Test
    void stripHopByHopRemovesEveryHopByHopNameAndWhatConnectionListsInOnePass() {
        for (String connection : new String[] {"keep-alive", "Keep-Alive, X-Private"}) {
            FlatHeaders h = new FlatHeaders();
            h.add("Accept", "*/*").add("CONNECTION", connection).add("Keep-Alive", "timeout=5").add("TE", "trailers")
                    .add("Trailer", "X-T").add("Transfer-Encoding", "chunked").add("upgrade", "h2c")
                    .add("Proxy-Authenticate", "Basic").add("proxy-authorization", "Basic x")
                    .add("Proxy-Connection", "keep-alive").add("X-Private", "1").add("X-User-Id", "u1");
            Headers.stripHopByHop(h);
            if (connection.contains("X-Private")) {
                assertThat(walk(h)).containsExactly("Accept=*/*", "X-User-Id=u1");
            } else {
                assertThat(walk(h)).containsExactly("Accept=*/*", "X-Private=1", "X-User-Id=u1");
            }
        }
        assertThat(Headers.isHopByHop("Content-Length")).isFalse();
        assertThat(Headers.isHopByHop("Tx")).isFalse();
    }
}
