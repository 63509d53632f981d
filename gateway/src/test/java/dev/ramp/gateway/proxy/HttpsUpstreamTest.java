package dev.ramp.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.testing.TestCertificates;
import dev.ramp.gateway.testing.TestConfigs;
import dev.ramp.gateway.testing.TestUpstream;
import dev.ramp.gateway.testing.WsClient;
import dev.ramp.gateway.testing.WsUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import io.netty.handler.ssl.OpenSsl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * {@code https://} upstreams with real handshakes: a test CA, upstream certificates it (or another CA) issued,
 * and Vert.x HTTPS servers. Ramp's own listener is plain HTTP here, so what is tested is its client side.
 */
class HttpsUpstreamTest {
    private static final TestCertificates CA = TestCertificates.authority("Ramp Upstream Test CA");
    private static final TestCertificates STRANGER = TestCertificates.authority("Unknown CA");

    @TempDir
    Path dir;
    private Vertx vertx;
    private Gateway gateway;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        CA.writeCertificate(dir.resolve("ca.pem"));
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.shutdown(Duration.ofSeconds(1));
        }
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    /** An HTTPS upstream whose certificate {@code issuer} made for the DNS names given. */
    private TestUpstream httpsUpstream(String name, TestCertificates issuer, String... dnsNames) {
        Path cert = dir.resolve(name + "-cert.pem");
        Path key = dir.resolve(name + "-key.pem");
        issuer.issue(dnsNames[0], dnsNames).writeTo(cert, key);
        return TestUpstream.startTls(vertx, name, cert, key);
    }

    private static String upstream(String url, String version, String tls) {
        return "{ url = \"" + url + "\", version = \"" + version + "\"" + (tls == null ? "" : ", tls " + tls) + " }";
    }

    private Gateway start(String stable, String canary, String weight) throws Exception {
        return start(stable, canary, weight, "");
    }

    private Gateway start(String stable, String canary, String weight, String extra) throws Exception {
        String route = "{ name = \"shop\", stable " + stable + ", canary " + canary + ", weight = \"" + weight
                       + "\", guard { enabled = false }, " + extra + " }";
        gateway = Gateway.start(TestConfigs.load(dir, TestConfigs.gateway(dir, route, "")));
        return gateway;
    }

    /** A route whose stable (all traffic, weight 0%) is {@code url} with {@code tls}. */
    private Gateway startStable(String url, String tls) throws Exception {
        return start(upstream(url, "v1", tls), upstream(url, "v2", tls), "0%");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void requestsReachAnHttpsUpstreamAndShareOneKeptAliveConnection() throws Exception {
        TestUpstream up = httpsUpstream("stable", CA, "localhost");
        startStable("https://localhost:" + up.port, "{ ca-file = \"ca.pem\" }");

        HttpResponse<String> first = get("/one");
        HttpResponse<String> second = get("/two");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(first.body()).getString("path")).isEqualTo("/one");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(second.body()).getString("path")).isEqualTo("/two");
        assertThat(up.connections.get()).as("the second request reuses the TLS connection").isEqualTo(1);
        assertThat(up.received.get(0).headers())
                .containsEntry("host", "localhost:" + up.port)
                .containsEntry("x-forwarded-proto", "http"); // about the client's side, which was plain
    }

    @Test
    void aCertificateFromAnUnknownCaIsA502SayingItIsNotTrusted() throws Exception {
        TestUpstream up = httpsUpstream("stable", STRANGER, "localhost");
        startStable("https://localhost:" + up.port, "{ ca-file = \"ca.pem\" }");

        HttpResponse<String> r = get("/x");

        assertThat(r.statusCode()).isEqualTo(502);
        JsonObject body = new JsonObject(r.body());
        assertThat(body.getString("error")).isEqualTo("upstream_unavailable");
        assertThat(body.getString("message")).contains("localhost:" + up.port)
                .contains("certificate not trusted").contains("ca.pem");
        assertThat(up.received).isEmpty();
    }

    @Test
    void theSystemTrustStoreDoesNotTrustATestCa() throws Exception {
        TestUpstream up = httpsUpstream("stable", CA, "localhost");
        startStable("https://localhost:" + up.port, null);

        HttpResponse<String> r = get("/x");

        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(new JsonObject(r.body()).getString("message"))
                .contains("certificate not trusted").contains("the system trust store");
    }

    @Test
    void aCertificateForAnotherNameIsA502SayingTheNameMismatches() throws Exception {
        TestUpstream up = httpsUpstream("stable", CA, "api.internal");
        startStable("https://localhost:" + up.port, "{ ca-file = \"ca.pem\" }");

        HttpResponse<String> r = get("/x");

        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(new JsonObject(r.body()).getString("message"))
                .contains("name mismatch").contains("\"localhost\"").contains("server-name");
        assertThat(up.received).isEmpty();
    }

    @Test
    void serverNameOverridesTheNameSentAndVerified() throws Exception {
        TestUpstream up = httpsUpstream("stable", CA, "api.internal");
        startStable("https://localhost:" + up.port, "{ ca-file = \"ca.pem\", server-name = \"api.internal\" }");

        HttpResponse<String> r = get("/x");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(up.received.get(0).headers()).as("Host stays the url's authority; SNI is the server-name")
                .containsEntry("host", "localhost:" + up.port)
                .containsEntry(":sni", "api.internal");
    }

    @Test
    void insecureSkipVerifyAcceptsAnUntrustedCertificateAndWarnsNamingTheRoute() throws Exception {
        TestUpstream up = httpsUpstream("stable", STRANGER, "elsewhere.test");
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Gateway.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            startStable("https://localhost:" + up.port, "{ insecure-skip-verify = true }");
        } finally {
            logger.detachAppender(lines);
        }

        assertThat(get("/x").statusCode()).isEqualTo(200);
        assertThat(lines.list).filteredOn(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage)
                .anySatisfy(m -> assertThat(m).contains("INSECURE").contains("route shop stable").contains("v1"))
                .anySatisfy(m -> assertThat(m).contains("route shop canary").contains("v2"));
    }

    @Test
    void aCanaryFailingVerificationFallsBackToStable() throws Exception {
        TestUpstream stable = httpsUpstream("stable", CA, "localhost");
        TestUpstream canary = httpsUpstream("canary", STRANGER, "localhost");
        start(upstream("https://localhost:" + stable.port, "v1", "{ ca-file = \"ca.pem\" }"),
                upstream("https://localhost:" + canary.port, "v2", "{ ca-file = \"ca.pem\" }"), "100%");

        HttpResponse<String> r = get("/x");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(r.body()).getString("name")).isEqualTo("stable");
        assertThat(canary.received).isEmpty();
    }

    @Test
    void httpAndHttpsToTheSameOriginDoNotShareAPool() throws Exception {
        TestUpstream up = httpsUpstream("stable", CA, "localhost");
        // stable speaks TLS; the canary names the same host:port over http and must never get a TLS connection
        start(upstream("https://localhost:" + up.port, "v1", "{ ca-file = \"ca.pem\" }"),
                upstream("http://localhost:" + up.port, "v2", null), "0%", "fallback { enabled = false }");

        assertThat(get("/a").statusCode()).isEqualTo(200);
        HttpResponse<String> canary = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gateway.port() + "/b"))
                .header("X-Ramp-Version", "canary").timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(canary.statusCode()).as("plain HTTP sent to a TLS port gets no answer").isEqualTo(502);
        assertThat(up.received).extracting(TestUpstream.Received::path).containsExactly("/a");
    }

    @Test
    void theStatusShowsEachHttpsUpstreamsVerification() throws Exception {
        TestUpstream up = httpsUpstream("stable", STRANGER, "localhost");
        startStable("https://localhost:" + up.port, "{ insecure-skip-verify = true }");

        HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.adminPort() + "/api/status")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.body()).contains("\"insecureSkipVerify\":true");
    }

    @Test
    void everyReloadRepeatsTheWarningForAnUpstreamThatIsNotVerified() throws Exception {
        TestUpstream up = httpsUpstream("stable", STRANGER, "localhost");
        startStable("https://localhost:" + up.port, "{ ca-file = \"ca.pem\" }");
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Gateway.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            String route = "{ name = \"shop\", stable " + upstream("https://localhost:" + up.port, "v1",
                    "{ insecure-skip-verify = true }") + ", canary " + upstream("https://localhost:" + up.port, "v2",
                    "{ ca-file = \"ca.pem\" }") + ", weight = \"0%\", guard { enabled = false } }";
            gateway.reload(TestConfigs.load(dir, TestConfigs.gateway(dir, route, "")));
        } finally {
            logger.detachAppender(lines);
        }

        assertThat(lines.list).filteredOn(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage)
                .singleElement().satisfies(m -> assertThat(m).contains("INSECURE").contains("route shop stable"));
        assertThat(get("/x").statusCode()).as("the reloaded route no longer verifies stable").isEqualTo(200);
    }

    /** The upstream side uses the listener's TLS provider: both verify the chain and the name. */
    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl"})
    void bothProvidersVerifyChainAndName(String provider) throws Exception {
        Assumptions.assumeTrue(provider.equals("jdk") || OpenSsl.isAvailable(), "OpenSSL does not load here");
        CA.issue("localhost", "localhost").writeTo(dir.resolve("listener.pem"), dir.resolve("listener-key.pem"));
        TestUpstream good = httpsUpstream("stable", CA, "localhost");
        TestUpstream elsewhere = httpsUpstream("canary", CA, "api.internal");
        String route = "{ name = \"shop\", stable " + upstream("https://localhost:" + good.port, "v1",
                "{ ca-file = \"ca.pem\" }") + ", canary " + upstream("https://localhost:" + elsewhere.port, "v2",
                "{ ca-file = \"ca.pem\" }") + ", weight = \"0%\", guard { enabled = false }"
                + ", fallback { enabled = false } }";
        gateway = Gateway.start(TestConfigs.load(dir, TestConfigs.gateway(dir, route,
                "listen.tls { cert = \"listener.pem\", key = \"listener-key.pem\", provider = \"" + provider
                + "\" }")));
        HttpClient https = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(CA.clientContext())
                .connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = URI.create("https://localhost:" + gateway.port() + "/x");

        HttpResponse<String> ok = https.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> mismatch = https.send(HttpRequest.newBuilder(uri).header("X-Ramp-Version", "canary")
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(good.received.get(0).headers()).containsEntry("x-forwarded-proto", "https");
        assertThat(mismatch.statusCode()).isEqualTo(502);
        assertThat(new JsonObject(mismatch.body()).getString("message")).contains("name mismatch");
        assertThat(elsewhere.received).isEmpty();
    }

    @Test
    void aWebSocketTunnelsOverTlsToAnHttpsUpstream() throws Exception {
        CA.issue("localhost", "localhost").writeTo(dir.resolve("ws.pem"), dir.resolve("ws-key.pem"));
        WsUpstream ws = WsUpstream.startTls(vertx, "v1", dir.resolve("ws.pem"), dir.resolve("ws-key.pem"));
        startStable("https://localhost:" + ws.port, "{ ca-file = \"ca.pem\" }");

        WsClient c = WsClient.open(URI.create("ws://127.0.0.1:" + gateway.port() + "/ws/chat"), false);
        c.send("hello");

        assertThat(c.next()).isEqualTo("v1:hello");
        c.socket.sendClose(1000, "bye").join();
        assertThat(c.ended.get(5, TimeUnit.SECONDS)).isEqualTo(1000);
    }

    @Test
    void anUpstreamThatNeverAnswersTheHandshakeTimesOutWithinTheConnectTimeout() throws Exception {
        int silent = TestUpstream.silent(vertx).actualPort(); // accepts, reads, never answers the ClientHello
        start(upstream("https://localhost:" + silent, "v1", null), upstream("https://localhost:" + silent, "v2", null),
                "0%", "timeouts { connect = 300ms }");

        long t0 = System.nanoTime();
        HttpResponse<String> r = get("/x");

        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(new JsonObject(r.body()).getString("message")).contains("timed out after 300 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }
}
