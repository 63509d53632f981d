package dev.ramp.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.testing.RawHttp;
import dev.ramp.gateway.testing.TestConfigs;
import dev.ramp.gateway.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data path with real upstreams on port 0 through the real gateway; no mocked network. */
class ProxyIntegrationTest {
    @TempDir
    Path dir;

    Vertx vertx;
    TestUpstream stable;
    TestUpstream canary;
    Gateway gateway;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void upstreams() {
        vertx = Vertx.vertx();
        stable = TestUpstream.start(vertx, "stable");
        canary = TestUpstream.start(vertx, "canary");
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.shutdown(Duration.ofSeconds(1));
        }
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    private Gateway start(String routes, String extra) throws Exception {
        gateway = Gateway.start(TestConfigs.load(dir, TestConfigs.gateway(dir, routes, extra)));
        return gateway;
    }

    Gateway startOneRoute(String weight, String routeExtra) throws Exception {
        return start(TestConfigs.route("shop", stable.port, canary.port, weight, routeExtra), "");
    }

    private String url(String path) {
        return "http://127.0.0.1:" + gateway.port() + path;
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void routesByHostAndLongestPrefixAndAnswers404JsonWithoutARoute() throws Exception {
        start(TestConfigs.route("api", stable.port, canary.port, "0%", "match { hosts = [\"api.test\"], path-prefix = \"/api\" }")
              + "," + TestConfigs.route("api-v2", canary.port, stable.port, "0%", "match { hosts = [\"api.test\"], path-prefix = \"/api/v2\" }"), "");
        assertThat(RawHttp.exchange(gateway.port(), "GET /api/v2/x HTTP/1.1\r\nHost: api.test\r\nConnection: close\r\n\r\n", 5000))
                .contains("\"name\":\"canary\"");
        assertThat(RawHttp.exchange(gateway.port(), "GET /api/v1 HTTP/1.1\r\nHost: API.test:8080\r\nConnection: close\r\n\r\n", 5000))
                .contains("\"name\":\"stable\"");
        String none = RawHttp.exchange(gateway.port(), "GET /api/v1 HTTP/1.1\r\nHost: other.test\r\nConnection: close\r\n\r\n", 5000);
        assertThat(none).startsWith("HTTP/1.1 404").contains("application/json");
        JsonObject body = new JsonObject(none.substring(none.indexOf("\r\n\r\n") + 4));
        assertThat(body.getString("error")).isEqualTo("no_route");
        assertThat(body.getString("message")).contains("other.test").contains("/api/v1");
    }

    @Test
    void eachRequestOnAKeepAliveConnectionIsRoutedByItsOwnHost() throws Exception {
        // "shop" sends its stable traffic to the canary upstream, so the answering upstream names the route.
        start(TestConfigs.route("api", stable.port, canary.port, "0%", "match { hosts = [\"api.test\"] }")
              + "," + TestConfigs.route("shop", canary.port, stable.port, "0%", "match { hosts = [\"shop.test\"] }"), "");
        String all = RawHttp.exchange(gateway.port(), "GET /a HTTP/1.1\r\nHost: api.test\r\n\r\n"
                + "GET /b HTTP/1.1\r\nHost: shop.test:8080\r\n\r\n"
                + "GET /c HTTP/1.1\r\nHost: other.test\r\n\r\n"
                + "GET /d HTTP/1.1\r\nHost: shop.test\r\n\r\n"
                + "GET /e HTTP/1.1\r\nHost: api.test:8080\r\nConnection: close\r\n\r\n", 5000);
        String[] responses = all.split("(?=HTTP/1\\.1 )");
        assertThat(responses).hasSize(5);
        assertThat(responses[0]).startsWith("HTTP/1.1 200").contains("\"name\":\"stable\"");
        assertThat(responses[1]).startsWith("HTTP/1.1 200").contains("\"name\":\"canary\"");
        assertThat(responses[2]).startsWith("HTTP/1.1 404").contains("other.test");
        assertThat(responses[3]).startsWith("HTTP/1.1 200").contains("\"name\":\"canary\"");
        assertThat(responses[4]).startsWith("HTTP/1.1 200").contains("\"name\":\"stable\"");
    }

    @Test
    void aMebibyteStreamsIntactBothWays() throws Exception {
        startOneRoute("0%", "");
        // Upload, chunked (no length known up front), echoed back.
        byte[] payload = new byte[1024 * 1024];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = TestUpstream.byteAt(i);
        }
        HttpRequest upload = HttpRequest.newBuilder(URI.create(url("/echo")))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(payload))).build();
        HttpResponse<byte[]> echoed = http.send(upload, HttpResponse.BodyHandlers.ofByteArray());
        assertThat(echoed.statusCode()).isEqualTo(200);
        assertThat(sha256(echoed.body())).isEqualTo(sha256(payload));
        // Upload with Content-Length.
        HttpResponse<byte[]> sized = http.send(HttpRequest.newBuilder(URI.create(url("/echo")))
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(sized.headers().firstValue("content-length")).hasValue(String.valueOf(payload.length));
        assertThat(sha256(sized.body())).isEqualTo(sha256(payload));
        // Download, chunked by the upstream.
        HttpResponse<InputStream> down = http.send(HttpRequest.newBuilder(URI.create(url("/blob?size=1048576"))).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        byte[] got = down.body().readAllBytes();
        assertThat(got).hasSize(1024 * 1024);
        assertThat(sha256(got)).isEqualTo(sha256(payload));
        assertThat(stable.received).filteredOn(r -> r.path().equals("/echo")).extracting(TestUpstream.Received::bodyBytes)
                .containsExactly((long) payload.length, (long) payload.length);
    }

    @Test
    void hopByHopHeadersAreDroppedAndForwardedHeadersSet() throws Exception {
        startOneRoute("0%", "");
        String resp = RawHttp.exchange(gateway.port(), "GET /headers HTTP/1.1\r\nHost: shop.test\r\n"
                + "Connection: keep-alive, X-Private\r\nX-Private: drop-me\r\nKeep-Alive: timeout=5\r\n"
                + "Proxy-Authorization: Basic abc\r\nTE: trailers\r\nX-Custom: keep-me\r\n"
                + "X-Forwarded-For: 203.0.113.9\r\n\r\n", 1500);
        assertThat(resp).startsWith("HTTP/1.1 200");
        JsonObject seen = new JsonObject(resp.substring(resp.indexOf("\r\n\r\n") + 4).trim());
        assertThat(seen.fieldNames()).doesNotContain("x-private", "keep-alive", "proxy-authorization", "te");
        assertThat(seen.getString("x-custom")).isEqualTo("keep-me");
        // 127.0.0.1 is a trusted source by default: its X-Forwarded-For is appended to.
        assertThat(seen.getString("x-forwarded-for")).isEqualTo("203.0.113.9, 127.0.0.1");
        assertThat(seen.getString("x-forwarded-proto")).isEqualTo("http");
        assertThat(seen.getString("x-forwarded-host")).isEqualTo("shop.test");
        // And the upstream's hop-by-hop response headers do not reach the client.
        String head = resp.substring(0, resp.indexOf("\r\n\r\n")).toLowerCase();
        assertThat(head).doesNotContain("x-upstream-private").doesNotContain("keep-alive:");
    }

    @Test
    void anUntrustedPeersForwardedForIsReplacedAndItsOverrideIgnored() throws Exception {
        start(TestConfigs.route("shop", stable.port, canary.port, "0%", ""), "trusted-sources = []");
        HttpResponse<String> r = get("/headers", "X-Forwarded-For", "6.6.6.6", "X-Forwarded-Host", "evil.test",
                "X-Ramp-Version", "canary", "Forwarded", "for=6.6.6.6", "X-Real-IP", "6.6.6.6",
                "X-Forwarded-Port", "443", "X-Forwarded-Prefix", "/admin");
        JsonObject seen = new JsonObject(r.body());
        assertThat(seen.getString("x-forwarded-for")).isEqualTo("127.0.0.1");
        assertThat(seen.fieldNames()).doesNotContain("forwarded", "x-real-ip", "x-forwarded-port", "x-forwarded-prefix");
        assertThat(seen.getString("x-forwarded-host")).startsWith("127.0.0.1:");
        assertThat(canary.received).isEmpty();
        assertThat(stable.count("/headers")).isEqualTo(1);
    }

    @Test
    void aTrustedOverrideHeaderPicksTheVersionAndABadValueIs400() throws Exception {
        startOneRoute("0%", "");
        assertThat(new JsonObject(get("/x", "X-Ramp-Version", "canary").body()).getString("name")).isEqualTo("canary");
        assertThat(new JsonObject(get("/x", "X-Ramp-Version", "stable").body()).getString("name")).isEqualTo("stable");
        HttpResponse<String> bad = get("/x", "X-Ramp-Version", "beta");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(bad.body()).getString("message")).contains("X-Ramp-Version").contains("beta");
    }

    @Test
    void aBrokenHttpUpstreamIs502Json() throws Exception {
        NetServer broken = TestUpstream.broken(vertx, "HTTP/1.1 two hundred OK\r\nbroken\r\n\r\n");
        start(TestConfigs.route("shop", broken.actualPort(), canary.port, "0%", ""), "");
        HttpResponse<String> r = get("/x");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        JsonObject body = new JsonObject(r.body());
        assertThat(body.getString("error")).isEqualTo("upstream_unavailable");
        assertThat(body.getString("route")).isEqualTo("shop");
    }

    @Test
    void anUpstreamNamedByHostNameIsResolved() throws Exception {
        start(TestConfigs.route("shop", stable.port, canary.port, "0%", "").replace("127.0.0.1", "localhost"), "");
        HttpResponse<String> r = get("/x");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(r.body()).getString("name")).isEqualTo("stable");
    }

    @Test
    void aRefusedUpstreamIs502Json() throws Exception {
        start(TestConfigs.route("shop", 1, canary.port, "0%", ""), "");
        HttpResponse<String> r = get("/x");
        assertThat(r.statusCode()).isEqualTo(502);
        JsonObject body = new JsonObject(r.body());
        assertThat(body.getString("error")).isEqualTo("upstream_unavailable");
        assertThat(body.getString("message")).contains("127.0.0.1:1");
    }

    @Test
    void anUpstreamThatNeverAnswersIs504JsonAtTheResponseTimeout() throws Exception {
        NetServer silent = TestUpstream.silent(vertx);
        start(TestConfigs.route("shop", silent.actualPort(), canary.port, "0%", "timeouts { response = 300ms }"), "");
        HttpResponse<String> r = get("/x");
        assertThat(r.statusCode()).isEqualTo(504);
        JsonObject body = new JsonObject(r.body());
        assertThat(body.getString("error")).isEqualTo("upstream_timeout");
        assertThat(body.getString("message")).contains("300 ms");
    }

    @Test
    void clientKeepAliveAndPooledUpstreamConnectionsAreReused() throws Exception {
        startOneRoute("0%", "");
        StringBuilder req = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            req.append("GET /x").append(i).append(" HTTP/1.1\r\nHost: a\r\n\r\n");
        }
        // 20 requests on one client connection, sent back to back; all answered on it.
        String all = RawHttp.exchange(gateway.port(), req.toString(), 1500);
        assertThat(all.split("HTTP/1.1 200", -1)).hasSize(21);
        for (int i = 0; i < 30; i++) {
            assertThat(get("/y").statusCode()).isEqualTo(200);
        }
        assertThat(stable.received).hasSize(50);
        assertThat(stable.connections.get()).isLessThanOrEqualTo(4);
    }

    @Test
    void theSameUserAlwaysGetsTheSameVersionAndTheExposedHeaderSaysWhich() throws Exception {
        startOneRoute("50%", "expose-version-header = true");
        int canaryUsers = 0;
        for (int u = 0; u < 200; u++) {
            String first = null;
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> r = get("/x", "X-User-Id", "user-" + u);
                String served = new JsonObject(r.body()).getString("name");
                assertThat(r.headers().firstValue("X-Ramp-Version")).hasValue(served);
                if (first == null) {
                    first = served;
                }
                assertThat(served).isEqualTo(first);
            }
            if (first.equals("canary")) {
                canaryUsers++;
            }
        }
        assertThat(canaryUsers).isBetween(60, 140);
    }

    @Test
    void anAnonymousClientGetsACookieAndStaysOnItsVersionWhenItReturnsIt() throws Exception {
        startOneRoute("50%", "");
        int sawCanary = 0;
        for (int c = 0; c < 40; c++) {
            HttpResponse<String> first = get("/x");
            String cookie = first.headers().firstValue("set-cookie").orElseThrow();
            assertThat(cookie).startsWith("ramp_uid=").contains("HTTPOnly").contains("SameSite=Lax").contains("Path=/");
            String pair = cookie.substring(0, cookie.indexOf(';'));
            String version = new JsonObject(first.body()).getString("name");
            sawCanary += version.equals("canary") ? 1 : 0;
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> again = get("/x", "Cookie", pair);
                assertThat(again.headers().firstValue("set-cookie")).isEmpty();
                assertThat(new JsonObject(again.body()).getString("name")).isEqualTo(version);
            }
        }
        assertThat(sawCanary).isBetween(5, 35);
    }

    @Test
    void twoSeparateGatewaysDecideTheSame() throws Exception {
        startOneRoute("30%", "");
        Gateway second = Gateway.start(TestConfigs.load(dir, TestConfigs.gateway(dir,
                TestConfigs.route("shop", stable.port, canary.port, "30%", ""), "")));
        try {
            for (int u = 0; u < 300; u++) {
                String a = new JsonObject(get("/x", "X-User-Id", "id-" + u).body()).getString("name");
                HttpResponse<String> b = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + second.port() + "/x")).header("X-User-Id", "id-" + u).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(new JsonObject(b.body()).getString("name")).as("user id-%d", u).isEqualTo(a);
            }
        } finally {
            second.shutdown(Duration.ofSeconds(1));
        }
    }

    @Test
    void aTlsClientOnThePlainListenerGetsAFast400NotTheIdleTimeout() throws Exception {
        startOneRoute("50%", "");
        javax.net.ssl.SSLEngine tls = javax.net.ssl.SSLContext.getDefault().createSSLEngine("localhost", 443);
        tls.setUseClientMode(true);
        tls.beginHandshake();
        java.nio.ByteBuffer hello = java.nio.ByteBuffer.allocate(tls.getSession().getPacketBufferSize());
        tls.wrap(java.nio.ByteBuffer.allocate(0), hello);
        hello.flip();
        byte[] bytes = new byte[hello.remaining()];
        hello.get(bytes);
        assertThat(bytes[0]).as("a TLS handshake record").isEqualTo((byte) 0x16);
        long start = System.nanoTime();
        String answer = RawHttp.exchange(gateway.port(), new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1),
                5000);
        assertThat(answer).startsWith("HTTP/1.1 400").contains("TLS handshake on a plain HTTP listener");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).as("closed, not left to time out")
                .isLessThan(java.time.Duration.ofSeconds(4));
        assertThat(RawHttp.exchange(gateway.port(), "\u0000\u0001binary", 5000)).startsWith("HTTP/1.1 400")
                .contains("not HTTP");
    }

    @Test
    void anHttp10RequestWithTransferEncodingIsRejectedAndNeverForwarded() throws Exception {
        startOneRoute("50%", "");
        String answer = RawHttp.exchange(gateway.port(),
                "POST /x HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 5000);
        assertThat(answer).startsWith("HTTP/1.1 400").contains("HTTP/1.0 request with Transfer-Encoding");
        assertThat(stable.received).isEmpty();
        assertThat(canary.received).isEmpty();
    }

    @Test
    void aMissingDoubledOrMalformedHostIsA400AndNeverForwarded() throws Exception {
        startOneRoute("50%", "");
        assertThat(RawHttp.exchange(gateway.port(), "GET /x HTTP/1.1\r\nX-A: b\r\n\r\n", 5000))
                .startsWith("HTTP/1.1 400").contains("without a Host header");
        assertThat(RawHttp.exchange(gateway.port(), "GET /x HTTP/1.1\r\nHost: a\r\nHost: evil\r\n\r\n", 5000))
                .startsWith("HTTP/1.1 400").contains("more than one Host header");
        assertThat(RawHttp.exchange(gateway.port(), "GET /x HTTP/1.1\r\nHost: a/b\r\n\r\n", 5000))
                .startsWith("HTTP/1.1 400").contains("not a valid authority");
        assertThat(stable.received).isEmpty();
        assertThat(canary.received).isEmpty();
    }

    @Test
    void anAbsoluteFormTargetReachesTheUpstreamInOriginFormAndMustMatchHost() throws Exception {
        startOneRoute("0%", "");
        assertThat(RawHttp.exchange(gateway.port(),
                "GET http://shop.test/abs?q=1 HTTP/1.1\r\nHost: shop.test\r\nConnection: close\r\n\r\n", 5000))
                .startsWith("HTTP/1.1 200");
        assertThat(stable.received).singleElement().satisfies(r -> assertThat(r.path()).isEqualTo("/abs"));
        assertThat(RawHttp.exchange(gateway.port(),
                "GET http://evil.test/abs HTTP/1.1\r\nHost: shop.test\r\nConnection: close\r\n\r\n", 5000))
                .startsWith("HTTP/1.1 400").contains("differs from Host");
        assertThat(stable.received).hasSize(1);
    }

    @Test
    void connectIsRefusedWith405() throws Exception {
        startOneRoute("50%", "");
        String answer = RawHttp.exchange(gateway.port(),
                "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\nConnection: close\r\n\r\n", 5000);
        assertThat(answer).startsWith("HTTP/1.1 405").contains("\"error\":\"method_not_allowed\"")
                .contains("CONNECT is not supported");
        assertThat(stable.received).isEmpty();
    }

    @Test
    void testersInTheCanaryRingSeeTheCanaryAtZeroPercentAsTheReadmeSays() throws Exception {
        startOneRoute("0%", "override { canary-users = [\"tester\"] }");
        assertThat(new JsonObject(get("/x", "X-User-Id", "tester").body()).getString("name")).isEqualTo("canary");
        assertThat(new JsonObject(get("/x", "X-User-Id", "anyone").body()).getString("name")).isEqualTo("stable");
    }

    @Test
    void aRevertedRouteSendsEveryoneToStableButTheTrustedOverride() throws Exception {
        startOneRoute("100%", "override { canary-users = [\"vip\"] }");
        assertThat(new JsonObject(get("/x", "X-User-Id", "anyone").body()).getString("name")).isEqualTo("canary");
        gateway.snapshot().route("shop").state().revert();
        assertThat(new JsonObject(get("/x", "X-User-Id", "anyone").body()).getString("name")).isEqualTo("stable");
        assertThat(new JsonObject(get("/x", "X-User-Id", "vip").body()).getString("name")).isEqualTo("stable");
        assertThat(new JsonObject(get("/x", "X-Ramp-Version", "canary").body()).getString("name")).isEqualTo("canary");
    }

    @Test
    void headResponsesCarryNoBodyAndKeepBothConnectionsInStep() throws Exception {
        // A keep-alive upstream that answers HEAD with the headers a GET would get (a length, or chunked) and
        // no body, as RFC 9110 says. Were the gateway to wait for those body bytes, the next answer would be
        // read as body and the client would lose it.
        java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
        NetServer upstream = vertx.createNetServer().connectHandler(sock -> {
            connections.incrementAndGet();
            StringBuilder pending = new StringBuilder();
            sock.handler(b -> {
                pending.append(b.toString(java.nio.charset.StandardCharsets.ISO_8859_1));
                int end;
                while ((end = pending.indexOf("\r\n\r\n")) >= 0) {
                    String head = pending.substring(0, end);
                    pending.delete(0, end + 4);
                    String answer = head.startsWith("HEAD /chunked")
                            ? "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
                            : head.startsWith("HEAD ")
                            ? "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\nContent-Type: text/plain\r\n\r\n"
                            : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
                    sock.write(io.vertx.core.buffer.Buffer.buffer(answer));
                }
            });
        }).listen(0, "127.0.0.1").await();
        start(TestConfigs.route("shop", upstream.actualPort(), canary.port, "0%", ""), "");
        String all = RawHttp.exchange(gateway.port(), "HEAD /a HTTP/1.1\r\nHost: a\r\n\r\n"
                + "HEAD /chunked HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /b HTTP/1.1\r\nHost: a\r\n\r\n", 1500);
        String[] answers = all.split("(?=HTTP/1.1 )");
        assertThat(answers).hasSize(3);
        assertThat(answers[0]).startsWith("HTTP/1.1 200").containsIgnoringCase("content-length: 1234").endsWith("\r\n\r\n");
        assertThat(answers[1]).startsWith("HTTP/1.1 200").endsWith("\r\n\r\n").doesNotContain("\r\n\r\n0\r\n");
        assertThat(answers[2]).startsWith("HTTP/1.1 200").endsWith("\r\n\r\nok");
        // The connection goes back to the loop's pool after each bodiless answer: one serves all three.
        assertThat(connections.get()).isEqualTo(1);

        // The gateway's own answer to a HEAD (here a 400 for a bad override) has its headers and no JSON body.
        String own = RawHttp.exchange(gateway.port(), "HEAD /a HTTP/1.1\r\nHost: a\r\nX-Ramp-Version: beta\r\n\r\n"
                + "GET /b HTTP/1.1\r\nHost: a\r\n\r\n", 1500);
        String[] two = own.split("(?=HTTP/1.1 )");
        assertThat(two).hasSize(2);
        assertThat(two[0]).startsWith("HTTP/1.1 400").containsIgnoringCase("content-type: application/json")
                .endsWith("\r\n\r\n");
        assertThat(two[1]).startsWith("HTTP/1.1 200").endsWith("\r\n\r\nok");
    }

    @Test
    void aResponseHeadReachesTheClientBeforeItsLateBody() throws Exception {
        // The upstream answers the head at once and the body 1.5 s later: the client must have the head well
        // before the body exists (a proxy that held the head back for its body would fail here).
        NetServer upstream = vertx.createNetServer().connectHandler(sock -> sock.handler(b -> {
            sock.write(io.vertx.core.buffer.Buffer.buffer("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"));
            vertx.setTimer(1500, t -> sock.write(io.vertx.core.buffer.Buffer.buffer("later")));
        })).listen(0, "127.0.0.1").await();
        start(TestConfigs.route("shop", upstream.actualPort(), canary.port, "0%", ""), "");
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", gateway.port())) {
            s.setSoTimeout(1000);
            s.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            byte[] buf = new byte[4096];
            int n = s.getInputStream().read(buf); // times out (failing the test) if the head waits for the body
            String head = new String(buf, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(head).startsWith("HTTP/1.1 200").doesNotContain("later");
            s.setSoTimeout(5000);
            StringBuilder rest = new StringBuilder(head);
            while (!rest.toString().endsWith("later")) {
                int m = s.getInputStream().read(buf);
                assertThat(m).isPositive();
                rest.append(new String(buf, 0, m, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
    }

    @Test
    void malformedRequestsGetJsonErrors() throws Exception {
        startOneRoute("0%", "");
        String bad = RawHttp.exchange(gateway.port(), "GET /x HTTP/1.1\r\nHost: a\r\nBad Header Line\r\n\r\n", 2000);
        assertThat(bad).startsWith("HTTP/1.1 400").contains("\"error\":\"bad_request\"");
        String huge = RawHttp.exchange(gateway.port(), "GET /x HTTP/1.1\r\nHost: a\r\nX-Big: " + "a".repeat(20_000)
                + "\r\n\r\n", 2000);
        assertThat(huge).startsWith("HTTP/1.1 431").contains("\"error\":\"headers_too_large\"");
    }

    @Test
    void shutdownDrainsInFlightRequestsAndRefusesNewConnections() throws Exception {
        dev.ramp.gateway.demo.DemoUpstream slow = new dev.ramp.gateway.demo.DemoUpstream("stable", "v1");
        int slowPort = slow.start(vertx, "127.0.0.1", 0).await(5, TimeUnit.SECONDS);
        slow.fault(dev.ramp.gateway.demo.DemoUpstream.Fault.parse(new JsonObject().put("mode", "ok").put("delayMs", 700)));
        start(TestConfigs.route("shop", slowPort, canary.port, "0%", ""), "");
        int port = gateway.port();
        var inFlight = http.sendAsync(HttpRequest.newBuilder(URI.create(url("/slow"))).build(),
                HttpResponse.BodyHandlers.ofString());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> slow.served() == 1);
        gateway.shutdown(Duration.ofSeconds(5));
        gateway = null;
        HttpResponse<String> r = inFlight.get(5, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"version\":\"stable\"");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", port).close())
                .isInstanceOf(java.net.ConnectException.class);
    }

    private static String sha256(byte[] b) throws Exception {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void requestsAProxyMustNotRelayAre400JsonNamingTheProblem() throws Exception {
        startOneRoute("0%", "");
        String spaced = RawHttp.exchange(gateway.port(), "GET /headers HTTP/1.1\r\nHost: shop.test\r\n"
                + "X-User-Id : smuggled\r\n\r\n", 2000);
        assertThat(spaced).startsWith("HTTP/1.1 400").contains("\"error\":\"bad_request\"")
                .contains("invalid character 0x20 in header name");
        String both = RawHttp.exchange(gateway.port(), "POST /headers HTTP/1.1\r\nHost: shop.test\r\n"
                + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 2000);
        assertThat(both).startsWith("HTTP/1.1 400").contains("conflicting Content-Length");
        assertThat(stable.received).isEmpty();
    }

    @Test
    void headerBytesAbove0x7fReachTheUpstreamUnchanged() throws Exception {
        startOneRoute("0%", "");
        String resp = RawHttp.exchange(gateway.port(), "GET /headers HTTP/1.1\r\nHost: shop.test\r\n"
                + "X-Latin: caf\u00e9\r\nConnection: close\r\n\r\n", 2000);
        assertThat(resp).startsWith("HTTP/1.1 200");
        String body = resp.substring(resp.indexOf("\r\n\r\n") + 4);
        // The test upstream reads header bytes as ISO-8859-1 and answers JSON in UTF-8.
        JsonObject seen = new JsonObject(new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
        assertThat(seen.getString("x-latin")).isEqualTo("caf\u00e9");
    }
}
