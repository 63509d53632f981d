package dev.ramp.gateway.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The engine's HTTP/1.1 decoder on an embedded channel: framing, strictness, and bytes kept as they came. */
class Http1DecoderTest {
    private final List<Object> received = new ArrayList<>();
    private boolean answersHead;

    @AfterEach
    void release() {
        received.forEach(ReferenceCountUtil::release);
    }

    private EmbeddedChannel requests() {
        return new EmbeddedChannel(new ClientCodec.Decoder());
    }

    private EmbeddedChannel responses() {
        return new EmbeddedChannel(new Http1Decoder(false, new io.netty.util.AsciiString[0][]) {
            @Override
            protected boolean answersHead() {
                return answersHead;
            }
        });
    }

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    /** Writes {@code s} in pieces of {@code step} bytes and returns every message produced. */
    private List<Object> feed(EmbeddedChannel ch, String s, int step) {
        for (int i = 0; i < s.length(); i += step) {
            ch.writeInbound(bytes(s.substring(i, Math.min(s.length(), i + step))));
        }
        return drain(ch);
    }

    /** Adds every message the channel produced to {@link #received} and returns it. */
    private List<Object> drain(EmbeddedChannel ch) {
        Object m;
        while ((m = ch.readInbound()) != null) {
            received.add(m);
        }
        return received;
    }

    private static String body(List<Object> msgs) {
        StringBuilder b = new StringBuilder();
        for (Object o : msgs) {
            if (o instanceof HttpContent c) {
                b.append(c.content().toString(StandardCharsets.ISO_8859_1));
            }
        }
        return b.toString();
    }

    private static Throwable failure(List<Object> msgs) {
        for (Object o : msgs) {
            if (o instanceof HttpObject h && h.decoderResult().isFailure()) {
                return h.decoderResult().cause();
            }
        }
        return null;
    }

    @Test
    void aRequestHeadKeepsItsHeadersInOrderWhetherItArrivesWholeOrByteByByte() {
        String req = "GET /a/b?c=d HTTP/1.1\r\nHost: shop.test\r\nX-User-Id: u42\r\nx-empty:\r\n"
                + "X-Spaces: \t padded value \t\r\n\r\n";
        for (int step : new int[] {req.length(), 1, 7}) {
            received.clear();
            List<Object> msgs = feed(requests(), req, step);
            assertThat(msgs).hasSize(1); // no Content-Length, no Transfer-Encoding: no body, one whole message
            FullHttpRequest r = (FullHttpRequest) msgs.get(0);
            assertThat(r.content().readableBytes()).isZero();
            assertThat(r.decoderResult().isSuccess()).isTrue();
            assertThat(r.method()).isSameAs(HttpMethod.GET);
            assertThat(r.uri()).isEqualTo("/a/b?c=d");
            assertThat(r.protocolVersion()).isSameAs(HttpVersion.HTTP_1_1);
            List<String> seen = new ArrayList<>();
            r.headers().forEach(e -> seen.add(e.getKey() + "=" + e.getValue()));
            assertThat(seen).containsExactly("Host=shop.test", "X-User-Id=u42", "x-empty=", "X-Spaces=padded value");
        }
    }

    @Test
    void aRequestWithALengthOfZeroIsAHeadThenAnEmptyEnd() {
        List<Object> msgs = feed(requests(), "POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n", 1000);
        assertThat(msgs).hasSize(2);
        assertThat(msgs.get(0)).isInstanceOf(HttpRequest.class).isNotInstanceOf(FullHttpRequest.class);
        assertThat(msgs.get(1)).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    @Test
    void aSmallResponseReadWithItsHeadIsOneWholeMessageOtherwiseHeadAndPieces() {
        String resp = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: b\r\n\r\nhello"
                + "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 2\r\n\r\nno";
        List<Object> whole = feed(responses(), resp, resp.length());
        assertThat(whole).hasSize(2);
        FullHttpResponse first = (FullHttpResponse) whole.get(0);
        assertThat(first.status().code()).isEqualTo(200);
        assertThat(first.headers().get("x-a")).isEqualTo("b");
        assertThat(first.content().toString(StandardCharsets.ISO_8859_1)).isEqualTo("hello");
        assertThat(((FullHttpResponse) whole.get(1)).status().code()).isEqualTo(503);
        assertThat(body(whole)).isEqualTo("hellono");
        whole.forEach(ReferenceCountUtil::release);
        received.clear();
        List<Object> split = feed(responses(), resp, 2); // each head ends a piece: its body comes after
        assertThat(split).noneMatch(o -> o instanceof FullHttpResponse);
        assertThat(split).filteredOn(o -> o instanceof LastHttpContent).hasSize(2);
        assertThat(body(split)).isEqualTo("hellono");
    }

    @Test
    void headerValuesAreViewsAndBytesAbove0x7fPassUnchanged() {
        List<Object> msgs = feed(requests(), "GET / HTTP/1.1\r\nHost: a\r\nX-Latin: caf\u00e9\r\n\r\n", 1000);
        HttpRequest r = (HttpRequest) msgs.get(0);
        CharSequence v = r.headers().iteratorCharSequence().next().getValue();
        assertThat(v).isInstanceOf(AsciiString.class);
        CharSequence latin = null;
        for (Map.Entry<CharSequence, CharSequence> e : (Iterable<Map.Entry<CharSequence, CharSequence>>)
                r.headers()::iteratorCharSequence) {
            if (e.getKey().toString().equals("X-Latin")) {
                latin = e.getValue();
            }
        }
        assertThat(((AsciiString) latin).toByteArray()).containsExactly('c', 'a', 'f', 0xe9);
    }

    @Test
    void aRequestTargetsRawUtf8BytesGoUpstreamAsTheyCame() {
        byte[] target = "/caf\u00e9/\u20ac".getBytes(StandardCharsets.UTF_8);
        ByteBuf in = Unpooled.buffer();
        in.writeBytes("GET ".getBytes(StandardCharsets.US_ASCII)).writeBytes(target)
                .writeBytes(" HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        EmbeddedChannel decode = requests();
        decode.writeInbound(in);
        HttpRequest r = decode.readInbound();
        received.add(decode.readInbound());
        assertThat(r.uri()).isEqualTo("/caf\u00e9/\u20ac");
        EmbeddedChannel encode = new EmbeddedChannel(new ClientCodec.RequestEncoder());
        encode.writeOutbound(r);
        ByteBuf out = encode.readOutbound();
        String line = out.toString(StandardCharsets.ISO_8859_1);
        out.release();
        assertThat(line).startsWith("GET " + new String(target, StandardCharsets.ISO_8859_1) + " HTTP/1.1\r\n");
    }

    @Test
    void pipelinedRequestsWithBodiesAreFramedByContentLengthAndChunks() {
        String two = "POST /one HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
                + "\r\n" // a stray empty line between messages is ignored
                + "PUT /two HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: t\r\nContent-Length: 9\r\n\r\n"
                + "GET /three HTTP/1.0\r\n\r\n";
        for (int step : new int[] {two.length(), 1, 5}) {
            received.clear();
            List<Object> msgs = feed(requests(), two, step);
            List<Object> heads = msgs.stream().filter(m -> m instanceof HttpRequest).toList();
            assertThat(heads).extracting(m -> ((HttpRequest) m).uri()).containsExactly("/one", "/two", "/three");
            assertThat(msgs.stream().filter(m -> m instanceof LastHttpContent).count()).isEqualTo(3);
            assertThat(body(msgs)).isEqualTo("helloabcde");
            LastHttpContent chunkedEnd = (LastHttpContent) msgs.stream()
                    .filter(m -> m instanceof LastHttpContent l && !l.trailingHeaders().isEmpty()).findFirst().get();
            // a trailer may not change the framing: Content-Length is dropped from trailers
            assertThat(chunkedEnd.trailingHeaders().names()).containsExactly("X-Trailer");
            assertThat(((HttpRequest) heads.get(2)).protocolVersion()).isSameAs(HttpVersion.HTTP_1_0);
        }
    }

    @Test
    void contentLengthRepeatedWithTheSameValueIsKeptOnceAndChunkedInAnyCaseIsChunked() {
        List<Object> msgs = feed(requests(), "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\ncontent-length: 3, 3\r\n\r\nabc"
                + "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:  Chunked \r\n\r\n1\r\nz\r\n0\r\n\r\n", 1000);
        HttpRequest first = (HttpRequest) msgs.get(0);
        assertThat(first.headers().getAll("content-length")).containsExactly("3");
        assertThat(body(msgs)).isEqualTo("abcz");
        assertThat(failure(msgs)).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "space before the colon    | GET / HTTP/1.1\\r\\nHost : a\\r\\n\\r\\n                     | invalid character 0x20 in header name",
        "line without a colon      | GET / HTTP/1.1\\r\\nBad Header Line\\r\\n\\r\\n             | invalid character 0x20 in header name",
        "no colon, one word        | GET / HTTP/1.1\\r\\nJunk\\r\\n\\r\\n                        | header line without a colon",
        "bare CR in a value        | GET / HTTP/1.1\\r\\nX-A: b\\rc\\r\\n\\r\\n                  | CR without LF",
        "NUL in a value            | GET / HTTP/1.1\\r\\nX-A: b\\0c\\r\\n\\r\\n                  | control character 0x0",
        "bare CR starting a line   | GET / HTTP/1.1\\r\\nX-A: b\\r\\n\\rGET /hidden HTTP/1.1\\r\\n\\r\\n | CR without LF",
        "folded line               | GET / HTTP/1.1\\r\\nX-A: b\\r\\n c\\r\\n\\r\\n               | obsolete line folding",
        "conflicting lengths       | POST / HTTP/1.1\\r\\nContent-Length: 1\\r\\nContent-Length: 2\\r\\n\\r\\n | conflicting Content-Length",
        "length with a comma after | POST / HTTP/1.1\\r\\nContent-Length: 3,\\r\\n\\r\\nabc | invalid Content-Length '3,'",
        "non-numeric length        | POST / HTTP/1.1\\r\\nContent-Length: 1x\\r\\n\\r\\n          | invalid Content-Length '1x'",
        "negative length           | POST / HTTP/1.1\\r\\nContent-Length: -1\\r\\n\\r\\n          | invalid Content-Length",
        "coding not ending chunked | POST / HTTP/1.1\\r\\nTransfer-Encoding: chunked, gzip\\r\\n\\r\\n | other than chunked",
        "gzip then chunked         | POST / HTTP/1.1\\r\\nTransfer-Encoding: gzip, chunked\\r\\n\\r\\n | other than chunked",
        "two headers               | POST / HTTP/1.1\\r\\nTransfer-Encoding: gzip\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n | other than chunked",
        "chunked and a length      | POST / HTTP/1.1\\r\\nContent-Length: 3\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n | both Transfer-Encoding and Content-Length",
        "HTTP/2.0 on this port     | GET / HTTP/2.0\\r\\n\\r\\n                                 | unsupported HTTP version 'HTTP/2.0'",
        "two spaces                | GET  / HTTP/1.1\\r\\n\\r\\n                                | request line is not",
        "no version                | GET /\\r\\n\\r\\n                                          | request line is not",
        "bad method                | G(T / HTTP/1.1\\r\\n\\r\\n                                 | invalid character in method",
        "no Host on HTTP/1.1       | GET / HTTP/1.1\\r\\nX-A: b\\r\\n\\r\\n                    | without a Host header",
        "two Host headers          | GET / HTTP/1.1\\r\\nHost: a\\r\\nHost: b\\r\\n\\r\\n        | more than one Host header",
        "Host not an authority     | GET / HTTP/1.1\\r\\nHost: a/b@c\\r\\n\\r\\n                | is not a valid authority",
        "Host with a bad port      | GET / HTTP/1.1\\r\\nHost: a:8o\\r\\n\\r\\n                 | is not a valid authority",
        "bad chunk size            | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nzz\\r\\n | invalid chunk size",
        "chunk without its CRLF    | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n1\\r\\nab\\r\\n | chunk data not followed by CRLF",
    })
    void requestsAProxyMustNotRelayAreRejectedNamingTheProblem(String what, String raw, String expected) {
        String req = raw.strip().replace("\\r", "\r").replace("\\n", "\n").replace("\\0", "\0");
        EmbeddedChannel ch = requests();
        List<Object> msgs = feed(ch, req + "GET /after HTTP/1.1\r\n\r\n", 1000);
        Throwable cause = failure(msgs);
        assertThat(cause).as(what).isNotNull();
        assertThat(cause.getMessage()).as(what).contains(expected.strip());
        // Nothing after a broken message is decoded: the connection is closed after the 400.
        assertThat(msgs).noneMatch(m -> m instanceof HttpRequest r && r.uri().equals("/after"));
    }

    @Test
    void anOverlongRequestLineAndOversizedHeadersAreTheirOwnErrors() {
        Throwable line = failure(feed(requests(), "GET /" + "a".repeat(9000) + " HTTP/1.1\r\n\r\n", 1000));
        assertThat(line).isInstanceOf(TooLongHttpLineException.class);
        received.clear();
        Throwable lineNoEnd = failure(feed(requests(), "GET /" + "a".repeat(30_000), 1000));
        assertThat(lineNoEnd).isInstanceOf(TooLongHttpLineException.class);
        received.clear();
        Throwable headers = failure(feed(requests(), "GET / HTTP/1.1\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n", 1000));
        assertThat(headers).isInstanceOf(TooLongHttpHeaderException.class);
        received.clear();
        Throwable headersNoEnd = failure(feed(requests(), "GET / HTTP/1.1\r\n" + "X-Many: b\r\n".repeat(3000), 1000));
        assertThat(headersNoEnd).isInstanceOf(TooLongHttpHeaderException.class);
    }

    @Test
    void responseStatusesReuseNettysConstantsAndKeepAnUnusualReason() {
        List<Object> msgs = feed(responses(), "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
                + "HTTP/1.1 404 Nope\r\nContent-Length: 0\r\n\r\n" + "HTTP/1.0 503\r\nContent-Length: 0\r\n\r\n", 1000);
        List<HttpResponse> heads = msgs.stream().filter(m -> m instanceof HttpResponse).map(m -> (HttpResponse) m).toList();
        assertThat(heads.get(0).status()).isSameAs(HttpResponseStatus.OK);
        assertThat(heads.get(1).status().code()).isEqualTo(404);
        assertThat(heads.get(1).status().reasonPhrase()).isEqualTo("Nope");
        assertThat(heads.get(2).status()).isSameAs(HttpResponseStatus.SERVICE_UNAVAILABLE);
        assertThat(heads.get(2).protocolVersion()).isSameAs(HttpVersion.HTTP_1_0);
    }

    @Test
    void aResponsesWhitespaceBeforeAColonIsRemovedAndAFoldedLineJoined() {
        List<Object> msgs = feed(responses(), "HTTP/1.1 200 OK\r\nX-Odd \t: v\r\nX-Folded: a\r\n  b\r\n"
                + "Content-Length: 0\r\n\r\n", 1000);
        HttpResponse r = (HttpResponse) msgs.get(0);
        assertThat(r.headers().get("X-Odd")).isEqualTo("v");
        assertThat(r.headers().get("X-Folded")).isEqualTo("a b");
    }

    @Test
    void responseBodiesWithoutLengthRunToTheCloseAndBodilessStatusesHaveNone() {
        EmbeddedChannel ch = responses();
        List<Object> msgs = feed(ch, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nContent-Length: 7\r\n\r\n"
                + "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nContent-Length: 4\r\n\r\nuntil the end", 3);
        assertThat(msgs.stream().filter(m -> m instanceof LastHttpContent).count()).isEqualTo(3);
        HttpResponse last = (HttpResponse) msgs.stream().filter(m -> m instanceof HttpResponse).skip(3).findFirst().get();
        assertThat(last.headers().contains("content-length")).isFalse(); // the coding overrides it
        ch.finish();
        drain(ch);
        assertThat(received.get(received.size() - 1)).isInstanceOf(LastHttpContent.class);
        assertThat(body(received)).isEqualTo("until the end");
        assertThat(failure(received)).isNull();
    }

    @Test
    void aResponseToHeadHasNoBodyWhateverItsHeadersSay() {
        answersHead = true;
        List<Object> msgs = feed(responses(), "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", 1000);
        assertThat(msgs).hasSize(4);
        assertThat(msgs.get(1)).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(msgs.get(3)).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    @Test
    void aFixedBodyCutByTheCloseHasNoEndAndABrokenResponseIsAFailedHead() {
        EmbeddedChannel ch = responses();
        List<Object> msgs = feed(ch, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", 1000);
        ch.finish();
        drain(ch);
        assertThat(msgs).noneMatch(o -> o instanceof LastHttpContent);
        received.clear();
        Throwable t = failure(feed(responses(), "SSH-2.0-OpenSSH\r\n\r\n", 1000));
        assertThat(t).hasMessageContaining("unsupported HTTP version");
    }
}
