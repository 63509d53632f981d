package dev.ramp.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.events.EventLog;
import dev.ramp.gateway.proxy.netty.TlsStatus;
import dev.ramp.gateway.testing.PrometheusScrape;
import dev.ramp.gateway.testing.RawHttp;
import dev.ramp.gateway.testing.TestCertificates;
import dev.ramp.gateway.testing.TestConfigs;
import dev.ramp.gateway.testing.TestUpstream;
import dev.ramp.gateway.testing.TlsProbe;
import io.netty.handler.ssl.OpenSsl;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** TLS termination on the traffic listener, with real handshakes against certificates made by a test CA. */
class TlsListenerTest {
    private static final TestCertificates CA = TestCertificates.authority("Ramp Test CA");
    private static final SSLContext CLIENT = CA.clientContext();

    @TempDir
    Path dir;
    private Vertx vertx;
    private TestUpstream upstream;
    private Gateway gateway;

    @BeforeEach
    void upstream() {
        vertx = Vertx.vertx();
        upstream = TestUpstream.start(vertx, "stable");
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.shutdown(Duration.ofSeconds(1));
        }
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    private Gateway start(String tls) throws Exception {
        gateway = Gateway.start(TestConfigs.load(dir, TestConfigs.gateway(dir,
                TestConfigs.route("shop", upstream.port, upstream.port, "0%", "guard { enabled = false }"),
                "listen.tls " + tls)));
        return gateway;
    }

    private Path file(String name) {
        return dir.resolve(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "openssl", "jdk"})
    void httpsReachesTheUpstreamWhichSeesForwardedProtoHttps(String provider) throws Exception {
        CA.issue("localhost", "localhost").writeTo(file("cert.pem"), file("key.pem"));
        start("{ cert = \"cert.pem\", key = \"key.pem\", provider = \"" + provider + "\" }");
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(CLIENT)
                .connectTimeout(Duration.ofSeconds(5)).build();

        HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + gateway.port() + "/who")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.sslSession()).get().satisfies(s -> assertThat(s.getProtocol()).isIn("TLSv1.3", "TLSv1.2"));
        assertThat(upstream.received).singleElement()
                .satisfies(x -> assertThat(x.headers()).containsEntry("x-forwarded-proto", "https"));
        assertThat(r.headers().firstValue("set-cookie")).get().asString().startsWith("ramp_uid=").contains("; Secure");
        String expected = provider.equals("jdk") || !OpenSsl.isAvailable() ? "JDK" : "OpenSSL";
        assertThat(gateway.tlsStatus().provider()).isEqualTo(expected);
        JsonObject tls = new JsonObject(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.adminPort() + "/api/status")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).getJsonObject("tls");
        assertThat(tls.getString("provider")).isEqualTo(expected);
        assertThat(tls.getJsonArray("certificates").getJsonObject(0).getString("subject")).isEqualTo("CN=localhost");
    }

    @Test
    void openSslLoadsOnThisPlatform() {
        // The bundled BoringSSL is for linux-x86_64: where it does not load, "auto" means the JDK, and this says so.
        assertThat(OpenSsl.isAvailable()).as(String.valueOf(OpenSsl.unavailabilityCause())).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"openssl", "jdk"})
    void tls11IsRefusedWhileTls12IsServed(String provider) throws Exception {
        CA.issue("localhost", "localhost").writeTo(file("cert.pem"), file("key.pem"));
        start("{ cert = \"cert.pem\", key = \"key.pem\", provider = \"" + provider + "\" }");

        byte[] tls12 = TlsProbe.answerToHello(gateway.port(), 0x0303);
        assertThat(tls12).as("a ServerHello for TLS 1.2").hasSizeGreaterThan(10);
        assertThat(tls12[0]).isEqualTo((byte) 0x16);
        assertThat(tls12[5]).isEqualTo((byte) 0x02);
        assertThat(new byte[] {tls12[9], tls12[10]}).containsExactly(0x03, 0x03);

        byte[] tls11 = TlsProbe.answerToHello(gateway.port(), 0x0302);
        assertThat(tls11.length == 0 || tls11[0] == 0x15).as("an alert or a close, not a handshake: %s",
                java.util.HexFormat.of().formatHex(tls11)).isTrue();
    }

    @Test
    void plainHttpSentToTheHttpsPortIsA400ThatSaysSo() throws Exception {
        CA.issue("localhost", "localhost").writeTo(file("cert.pem"), file("key.pem"));
        start("{ cert = \"cert.pem\", key = \"key.pem\" }");

        String answer = RawHttp.exchange(gateway.port(), "GET / HTTP/1.1\r\nHost: shop\r\n\r\n", 5000);

        assertThat(answer).startsWith("HTTP/1.1 400").contains("\"error\":\"bad_request\"")
                .contains("plain HTTP sent to an HTTPS port");
        assertThat(upstream.received).isEmpty();
        assertThat(served(null).getSubjectX500Principal().getName()).as("TLS still served").isEqualTo("CN=localhost");
    }

    @Test
    void sniPicksTheCertificateOfTheNamedHostAndTheDefaultOtherwise() throws Exception {
        CA.issue("default.test", "default.test").writeTo(file("default.pem"), file("default-key.pem"));
        CA.issue("api.test", "api.test").writeTo(file("api.pem"), file("api-key.pem"));
        CA.issue("shop.test", "*.shop.test").writeTo(file("shop.pem"), file("shop-key.pem"));
        start("{ cert = \"default.pem\", key = \"default-key.pem\", sni = ["
              + " { hosts = [\"api.test\"], cert = \"api.pem\", key = \"api-key.pem\" },"
              + " { hosts = [\"*.shop.test\"], cert = \"shop.pem\", key = \"shop-key.pem\" } ] }");

        assertThat(subject("api.test")).isEqualTo("CN=api.test");
        assertThat(subject("API.test")).isEqualTo("CN=api.test");
        assertThat(subject("eu.shop.test")).isEqualTo("CN=shop.test");
        assertThat(subject("other.test")).isEqualTo("CN=default.test");
        assertThat(subject(null)).isEqualTo("CN=default.test");
    }

    private String subject(String sniHost) {
        return served(sniHost).getSubjectX500Principal().getName();
    }

    /**
     * The certificate a new client gets. A fresh client context each time: the JDK's client resumes a session
     * cached for the same address with that session's server name, whatever name it is asked to send.
     */
    private X509Certificate served(String sniHost) {
        return TlsProbe.served(CA.clientContext(), gateway.port(), sniHost);
    }

    @Test
    void renewedFilesRenamedOverServeNewConnectionsWithinSeconds() throws Exception {
        TestCertificates.Leaf first = CA.issue("localhost", "localhost").writeTo(file("cert.pem"), file("key.pem"));
        start("{ cert = \"cert.pem\", key = \"key.pem\" }");
        assertThat(served(null).getSerialNumber()).isEqualTo(first.serial());

        TestCertificates.Leaf renewed = CA.issue("localhost", "localhost").renameOver(file("cert.pem"), file("key.pem"));

        long start = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(served(null).getSerialNumber()).isEqualTo(renewed.serial()));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(gateway.events().recent()).anySatisfy(e -> assertThat(e.type()).isEqualTo(EventLog.TLS_RELOAD));
        assertThat(gateway.tlsStatus().certificates().get(0).serial()).isEqualTo(renewed.serial().toString(16));
        PrometheusScrape scrape = scrape();
        assertThat(scrape.counter("ramp_tls_reloads_total", "result", "success")).isEqualTo(1);
        assertThat(scrape.gauge("ramp_tls_certificate_expiry_timestamp_seconds", "certificate", "default"))
                .isEqualTo(renewed.certificate().getNotAfter().toInstant().getEpochSecond());
    }

    private PrometheusScrape scrape() throws Exception {
        return PrometheusScrape.parse(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.adminPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void aCertbotStyleSymlinkSwapIsPickedUp() throws Exception {
        // certbot: live/ holds symlinks into archive/; a renewal writes new archive files and repoints the links.
        Path archive = java.nio.file.Files.createDirectories(file("archive"));
        Path live = java.nio.file.Files.createDirectories(file("live"));
        CA.issue("localhost", "localhost").writeTo(archive.resolve("cert1.pem"), archive.resolve("privkey1.pem"));
        java.nio.file.Files.createSymbolicLink(live.resolve("cert.pem"), archive.resolve("cert1.pem"));
        java.nio.file.Files.createSymbolicLink(live.resolve("privkey.pem"), archive.resolve("privkey1.pem"));
        start("{ cert = \"live/cert.pem\", key = \"live/privkey.pem\" }");

        TestCertificates.Leaf renewed = CA.issue("localhost", "localhost")
                .writeTo(archive.resolve("cert2.pem"), archive.resolve("privkey2.pem"));
        for (String name : new String[] {"cert", "privkey"}) {
            Path link = live.resolve(name + ".tmp");
            java.nio.file.Files.createSymbolicLink(link, archive.resolve(name + "2.pem"));
            java.nio.file.Files.move(link, live.resolve(name + ".pem"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(served(null).getSerialNumber()).isEqualTo(renewed.serial()));
    }

    @Test
    void aBadRenewalKeepsTheServedCertificateAndIsReportedUntilFixed() throws Exception {
        TestCertificates.Leaf first = CA.issue("localhost", "localhost").writeTo(file("cert.pem"), file("key.pem"));
        start("{ cert = \"cert.pem\", key = \"key.pem\" }");

        // A new certificate whose key never arrives: the old key does not match it.
        TestCertificates.Leaf orphan = CA.issue("localhost", "localhost");
        TestCertificates.renameOver(file("cert.pem"), orphan.certificatePem());

        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.tlsStatus().lastError() != null);
        TlsStatus status = gateway.tlsStatus();
        assertThat(status.lastError()).contains("key.pem").contains("does not match");
        assertThat(status.certificates().get(0).serial()).isEqualTo(first.serial().toString(16));
        assertThat(gateway.events().recent()).filteredOn(e -> e.type().equals(EventLog.TLS_RELOAD_FAILED)).hasSize(1);
        assertThat(served(null).getSerialNumber()).isEqualTo(first.serial());

        // The key follows: the pair serves and the error is over.
        TestCertificates.renameOver(file("key.pem"), orphan.keyPem(TestCertificates.KeyFormat.PKCS8));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(served(null).getSerialNumber()).isEqualTo(orphan.serial()));
        assertThat(gateway.tlsStatus().lastError()).isNull();
        assertThat(gateway.events().recent()).filteredOn(e -> e.type().equals(EventLog.TLS_RELOAD_FAILED)).hasSize(1);
        assertThat(scrape().counter("ramp_tls_reloads_total", "result", "failure")).isEqualTo(1);
    }

    @Test
    void aConfigReloadThatNamesOtherFilesServesThemToNewConnections() throws Exception {
        CA.issue("old.test", "localhost").writeTo(file("old.pem"), file("old-key.pem"));
        start("{ cert = \"old.pem\", key = \"old-key.pem\" }");
        CA.issue("new.test", "localhost").writeTo(file("new.pem"), file("new-key.pem"));

        gateway.reload(TestConfigs.load(dir, TestConfigs.gateway(dir,
                TestConfigs.route("shop", upstream.port, upstream.port, "0%", "guard { enabled = false }"),
                "listen.tls { cert = \"new.pem\", key = \"new-key.pem\" }")));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(served(null).getSubjectX500Principal().getName()).isEqualTo("CN=new.test"));
    }

    @Test
    void aListenerWhoseFilesCannotBeReadDoesNotStart() throws Exception {
        CA.issue("localhost", "localhost").writeTo(file("cert.pem"), file("key.pem"));
        var config = TestConfigs.load(dir, TestConfigs.gateway(dir,
                TestConfigs.route("shop", upstream.port, upstream.port, "0%", ""),
                "listen.tls { cert = \"cert.pem\", key = \"key.pem\" }"));
        java.nio.file.Files.delete(file("key.pem")); // gone between validate and start
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Gateway.start(config))
                .hasMessageContaining("ramp.listen.tls").hasMessageContaining("key.pem: file not found");
    }
}
