package dev.ramp.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.testing.H2Client;
import dev.ramp.gateway.testing.PrometheusScrape;
import dev.ramp.gateway.testing.RawHttp;
import dev.ramp.gateway.testing.TestCertificates;
import dev.ramp.gateway.testing.TestConfigs;
import dev.ramp.gateway.testing.TestUpstream;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 to clients: ALPN h2 over real TLS (java.net.http) and h2c with prior knowledge (a Netty frame
 * client), each stream routed, split, sticky, measured and falling back exactly as an HTTP/1.1 request, with
 * the upstream side on HTTP/1.1; stream limits announced, resets and drains handled.
 */
class Http2ListenerTest {
    private static final TestCertificates CA = TestCertificates.authority("Ramp Test CA");
    private static final SSLContext CLIENT = CA.clientContext();

    @TempDir
    Path dir;
    private Vertx vertx;
    private TestUpstream stable;
    private TestUpstream canary;
    private Gateway gateway;

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

    private Gateway start(int stablePort, int canaryPort, String weight, String listen) {
        try {
            gateway = Gateway.start(TestConfigs.load(dir, TestConfigs.gateway(dir,
                    TestConfigs.route("shop", stablePort, canaryPort, weight, "guard { enabled = false }"),
                    listen)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return gateway;
    }

    private Gateway startTls(String weight, String extra) throws Exception {
        CA.issue("localhost", "localhost").writeTo(dir.resolve("cert.pem"), dir.resolve("key.pem"));
        return start(stable.port, canary.port, weight,
                "listen.tls { cert = \"cert.pem\", key = \"key.pem\" }\n" + extra);
    }

    private HttpClient client(HttpClient.Version v) {
        return HttpClient.newBuilder().version(v).sslContext(CLIENT).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private HttpResponse<String> send(HttpClient c, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://localhost:" + gateway.port() + path))
                .timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String servedBy(HttpResponse<String> r) {
        return new JsonObject(r.body()).getString("name");
    }

    @Test
    void alpnH2StreamsAreSplitExactlyAsHttp1RequestsAndTheUpstreamSeesHttp11() throws Exception {
        startTls("50%", "");
        HttpClient h2 = client(HttpClient.Version.HTTP_2);
        HttpClient h1 = client(HttpClient.Version.HTTP_1_1);

        int canaries = 0;
        for (int i = 0; i < 40; i++) {
            HttpResponse<String> a = send(h2, "/who", "X-User-Id", "user-" + i);
            HttpResponse<String> b = send(h1, "/who", "X-User-Id", "user-" + i);
            assertThat(a.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(b.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(servedBy(a)).as("user-%d decided the same on both protocols", i).isEqualTo(servedBy(b));
            canaries += servedBy(a).equals("canary") ? 1 : 0;
        }
        assertThat(canaries).as("a 50%% split, not all on one side").isBetween(8, 32);
        TestUpstream.Received seen = stable.received.isEmpty() ? canary.received.get(0) : stable.received.get(0);
        assertThat(seen.headers()).containsEntry("host", "127.0.0.1:" + (seen == stable.received.get(0) ? stable.port
                : canary.port)).containsEntry("x-forwarded-proto", "https").containsKey("x-forwarded-for");
        PrometheusScrape s = PrometheusScrape.parse(gateway.metrics().scrape());
        double served = s.counter("ramp_requests_total", "route", "shop", "served_by", "canary", "status_class", "2xx")
                        + s.counter("ramp_requests_total", "route", "shop", "served_by", "stable", "status_class", "2xx");
        assertThat(served).as("h2 and h1 requests counted alike").isEqualTo(80);
    }

    @Test
    void withHttp2OffAnH2ClientIsServedHttp11OverTls() throws Exception {
        startTls("0%", "listen.http2 = false");
        HttpResponse<String> r = send(client(HttpClient.Version.HTTP_2), "/who");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.version()).as("h2 not offered by ALPN").isEqualTo(HttpClient.Version.HTTP_1_1);
    }

    @Test
    void aFreshIdentityCookieKeepsAnH2UserOnOneVersionAndSplitCookieFieldsAreJoined() throws Exception {
        start(stable.port, canary.port, "50%", "listen.h2c = true");
        try (H2Client c = new H2Client(gateway.port())) {
            H2Client.Answer first = c.get("shop", "/who");
            assertThat(first.status()).isEqualTo(200);
            String cookie = first.head().get("set-cookie").toString();
            assertThat(cookie).startsWith("ramp_uid=");
            String pair = cookie.substring(0, cookie.indexOf(';'));
            String version = new JsonObject(first.text()).getString("name");
            for (int i = 0; i < 10; i++) {
                H2Client.Answer again = c.get("shop", "/headers", "cookie", "a=1", "cookie", pair);
                assertThat(again.head().get("set-cookie")).as("the identity is kept, not renewed").isNull();
                assertThat(again.status()).isEqualTo(200);
            }
            TestUpstream served = version.equals("canary") ? canary : stable;
            assertThat(served.count("/headers")).as("every later request on the first one's version").isEqualTo(10);
            assertThat(served.received.get(served.received.size() - 1).headers())
                    .containsEntry("cookie", "a=1; " + pair);
        }
    }

    @Test
    void aRequestBodyWithoutLengthStreamsUpstreamChunkedAndComesBack() throws Exception {
        start(stable.port, canary.port, "0%", "listen.h2c = true");
        byte[] body = "x".repeat(200_000).getBytes(StandardCharsets.US_ASCII);
        try (H2Client c = new H2Client(gateway.port())) {
            Http2Headers head = new DefaultHttp2Headers().method("POST").scheme("http").authority("shop").path("/echo");
            H2Client.Answer a = c.open(head, body).answer.get(10, TimeUnit.SECONDS);
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.body()).hasSize(body.length).isEqualTo(body);
        }
        assertThat(stable.received).singleElement().satisfies(r -> {
            assertThat(r.headers()).containsEntry("transfer-encoding", "chunked").doesNotContainKey("content-length");
            assertThat(r.bodyBytes()).isEqualTo(200_000);
        });
    }

    @Test
    void aCanaryThatRefusesFallsBackToStableAndCountsAsOnHttp1() throws Exception {
        CA.issue("localhost", "localhost").writeTo(dir.resolve("cert.pem"), dir.resolve("key.pem"));
        start(stable.port, 1, "100%", "listen.tls { cert = \"cert.pem\", key = \"key.pem\" }");

        HttpResponse<String> r = send(client(HttpClient.Version.HTTP_2), "/who", "X-User-Id", "u1");

        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(servedBy(r)).isEqualTo("stable");
        PrometheusScrape s = PrometheusScrape.parse(gateway.metrics().scrape());
        assertThat(s.counter("ramp_fallbacks_total", "reason", "connect_error", "route", "shop")).isEqualTo(1);
    }

    @Test
    void manyConcurrentStreamsOnOneConnectionEachGetTheirOwnAnswer() throws Exception {
        start(stable.port, canary.port, "50%", "listen.h2c = true");
        try (H2Client c = new H2Client(gateway.port())) {
            List<H2Client.Stream> streams = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                streams.add(c.open(H2Client.head("shop", "/item-" + i, "x-user-id", "u" + i), null));
            }
            for (int i = 0; i < 60; i++) {
                H2Client.Answer a = streams.get(i).answer.get(10, TimeUnit.SECONDS);
                assertThat(a.status()).isEqualTo(200);
                assertThat(new JsonObject(a.text()).getString("path")).as("no answer to the wrong stream")
                        .isEqualTo("/item-" + i);
            }
        }
        assertThat(stable.received.size() + canary.received.size()).isEqualTo(60);
    }

    @Test
    void theServerAnnouncesItsStreamLimitsAndKeepsHttp1OnTheSamePort() throws Exception {
        start(stable.port, canary.port, "0%",
                "listen { h2c = true, limits { max-concurrent-streams = 7, http2-stream-window = 128KiB } }");
        try (H2Client c = new H2Client(gateway.port())) {
            io.netty.handler.codec.http2.Http2Settings s = c.settings.get(5, TimeUnit.SECONDS);
            assertThat(s.maxConcurrentStreams()).isEqualTo(7);
            assertThat(s.initialWindowSize()).isEqualTo(128 * 1024);
            assertThat(s.maxHeaderListSize()).isEqualTo(16 * 1024 + 32 * 100);
        }
        assertThat(RawHttp.exchange(gateway.port(), "GET /x HTTP/1.1\r\nHost: shop\r\nConnection: close\r\n\r\n", 5000))
                .startsWith("HTTP/1.1 200");
    }

    @Test
    void withoutH2cThePrefaceIsABadHttp1Request() throws Exception {
        start(stable.port, canary.port, "0%", "");
        String answer = RawHttp.exchange(gateway.port(), "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 5000);
        assertThat(answer).startsWith("HTTP/1.1 400");
        assertThat(stable.received).isEmpty();
    }

    @Test
    void tooManyHeaderFieldsAre431AsOnHttp1() throws Exception {
        start(stable.port, canary.port, "0%", "listen { h2c = true, limits.max-header-count = 10 }");
        String[] pairs = new String[2 * 11];
        for (int i = 0; i < 11; i++) {
            pairs[2 * i] = "x-h" + i;
            pairs[2 * i + 1] = "v";
        }
        try (H2Client c = new H2Client(gateway.port())) {
            assertThat(c.get("shop", "/x", pairs).status()).isEqualTo(431);
            assertThat(c.get("shop", "/x").status()).as("the connection serves on").isEqualTo(200);
        }
        assertThat(stable.received).hasSize(1);
    }

    @Test
    void aClientResetAbandonsTheUpstreamRequestAndTheConnectionServesOn() throws Exception {
        CopyOnWriteArrayList<String> events = new CopyOnWriteArrayList<>();
        HttpServer slow = vertx.createHttpServer().connectionHandler(conn -> conn.closeHandler(v -> events.add("closed")))
                .requestHandler(req -> {
                    events.add("request " + req.path());
                    if (!req.path().equals("/hang")) {
                        req.response().end("{\"name\":\"stable\"}");
                    }
                });
        int port = slow.listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS).actualPort();
        start(port, port, "0%", "listen.h2c = true");
        try (H2Client c = new H2Client(gateway.port())) {
            H2Client.Stream s = c.open(H2Client.head("shop", "/hang"), null);
            await().atMost(5, TimeUnit.SECONDS).until(() -> events.contains("request /hang"));
            s.reset();
            await("the upstream request is abandoned: its connection closed").atMost(5, TimeUnit.SECONDS)
                    .until(() -> events.contains("closed"));
            assertThat(c.get("shop", "/ok").status()).isEqualTo(200);
            assertThat(c.isOpen()).isTrue();
        }
    }

    @Test
    void drainingSendsGoAwayAndLetsTheStreamInFlightFinish() throws Exception {
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger arrived = new AtomicInteger();
        HttpServer slow = vertx.createHttpServer().requestHandler(req -> {
            arrived.incrementAndGet();
            vertx.setTimer(600, t -> {
                answered.incrementAndGet();
                req.response().end("{\"name\":\"stable\"}");
            });
        });
        int port = slow.listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS).actualPort();
        start(port, port, "0%", "listen.h2c = true");
        try (H2Client c = new H2Client(gateway.port())) {
            H2Client.Stream s = c.open(H2Client.head("shop", "/slow"), null);
            await().atMost(5, TimeUnit.SECONDS).until(() -> arrived.get() == 1); // in flight upstream
            CompletableFuture<Void> drain = CompletableFuture.runAsync(() -> gateway.shutdown(Duration.ofSeconds(5)));
            assertThat(c.goAway.get(5, TimeUnit.SECONDS).lastStreamId()).as("GOAWAY names the stream taken")
                    .isEqualTo(3);
            H2Client.Answer a = s.answer.get(5, TimeUnit.SECONDS);
            assertThat(a.status()).as("%s", a).isEqualTo(200);
            assertThat(a.text()).contains("stable");
            drain.get(10, TimeUnit.SECONDS);
            gateway = null;
        }
        assertThat(answered).hasValue(1);
    }
}
