package dev.ramp.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.testing.TestCertificates;
import dev.ramp.gateway.testing.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An upstream's {@code tls { ca-file, server-name, insecure-skip-verify }}: defaults, problems at file:line. */
class UpstreamTlsConfigTest {
    private static final TestCertificates CA = TestCertificates.authority("Ramp Upstream Test CA");

    @TempDir
    Path dir;

    private String conf(String stableUrl, String tls) {
        String route = """
                {
                  name = "shop"
                  stable {
                    url = "%s"
                    version = "v1"
                    %s
                  }
                  canary { url = "https://canary.internal", version = "v2" }
                  weight = "0%%"
                }
                """.formatted(stableUrl, tls == null ? "" : "tls " + tls);
        return TestConfigs.gateway(dir, route, "");
    }

    private RouteConfig load(String stableUrl, String tls) throws InvalidConfigException {
        return ConfigLoader.load(TestConfigs.write(dir, "gateway.conf", conf(stableUrl, tls))).routes().get(0);
    }

    private List<ConfigProblem> problems(String stableUrl, String tls) {
        try {
            load(stableUrl, tls);
        } catch (InvalidConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected the config to be invalid: " + tls);
    }

    @Test
    void anHttpsUrlWithoutATlsBlockUsesTheSystemTrustStoreAndTheUrlsHostOnPort443() throws Exception {
        Upstream u = load("https://api.internal", null).stable();
        assertThat(u.ssl()).isTrue();
        assertThat(u.port()).isEqualTo(443);
        assertThat(u.authority()).isEqualTo("api.internal");
        assertThat(u.tls()).isEqualTo(UpstreamTlsSettings.DEFAULT);
        assertThat(u.serverName()).isEqualTo("api.internal");
    }

    @Test
    void aRelativeCaFileResolvesAgainstTheConfigDirectoryAndIsReadAtLoad() throws Exception {
        CA.writeCertificate(dir.resolve("ca.pem"));
        Upstream u = load("https://10.0.0.5:8443", "{ ca-file = \"ca.pem\", server-name = \"API.internal\" }").stable();
        assertThat(u.tls().caFile()).isEqualTo(dir.resolve("ca.pem"));
        assertThat(u.tls().trusted()).containsExactly(CA.certificate());
        assertThat(u.serverName()).as("lower-cased").isEqualTo("api.internal");
        assertThat(u.authority()).as("the Host header stays the url's").isEqualTo("10.0.0.5:8443");
    }

    @Test
    void aMissingCaFileIsReportedAtItsLine() {
        assertThat(problems("https://api.internal", "{ ca-file = \"nope.pem\" }")).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("ramp.routes[0].stable.tls.ca-file");
            assertThat(p.message()).contains("nope.pem").contains("file not found");
            assertThat(p.file()).endsWith("gateway.conf");
            assertThat(p.line()).isGreaterThan(0);
        });
    }

    @Test
    void aCaFileWithoutCertificatesIsReportedAtItsLine() throws Exception {
        Files.writeString(dir.resolve("junk.pem"), "not a certificate\n");
        assertThat(problems("https://api.internal", "{ ca-file = \"junk.pem\" }")).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("ramp.routes[0].stable.tls.ca-file");
            assertThat(p.message()).contains("junk.pem: no certificate found (expected: PEM CA certificates");
            assertThat(p.line()).isGreaterThan(0);
        });
    }

    @Test
    void aCorruptPemBlockIsReported() throws Exception {
        Files.writeString(dir.resolve("bad.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        assertThat(problems("https://api.internal", "{ ca-file = \"bad.pem\" }")).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("bad.pem: not a valid certificate"));
    }

    @Test
    void aTlsBlockOnAnHttpUrlIsAMistake() {
        assertThat(problems("http://api.internal", "{ server-name = \"api.internal\" }")).singleElement()
                .satisfies(p -> {
                    assertThat(p.path()).isEqualTo("ramp.routes[0].stable.tls");
                    assertThat(p.message()).contains("http:// url");
                });
    }

    @Test
    void unknownKeysAndBadValuesInTheTlsBlockAreReported() {
        assertThat(problems("https://api.internal", "{ ca-fil = \"x.pem\" }")).singleElement()
                .satisfies(p -> {
                    assertThat(p.path()).isEqualTo("ramp.routes[0].stable.tls.ca-fil");
                    assertThat(p.message()).contains("did you mean \"ca-file\"");
                });
        assertThat(problems("https://api.internal", "{ server-name = \"api.internal:443\" }")).singleElement()
                .satisfies(p -> assertThat(p.path()).isEqualTo("ramp.routes[0].stable.tls.server-name"));
        assertThat(problems("https://api.internal", "{ insecure-skip-verify = maybe }")).singleElement()
                .satisfies(p -> assertThat(p.path()).isEqualTo("ramp.routes[0].stable.tls.insecure-skip-verify"));
    }

    @Test
    void skippingVerificationWhileNamingACaFileIsContradictory() {
        CA.writeCertificate(dir.resolve("ca.pem"));
        assertThat(problems("https://api.internal", "{ ca-file = \"ca.pem\", insecure-skip-verify = true }"))
                .singleElement().satisfies(p -> assertThat(p.message()).contains("one of them"));
    }

    @Test
    void poolKeysTellHttpFromHttpsAndOneTrustSettingFromAnother() throws Exception {
        CA.writeCertificate(dir.resolve("ca.pem"));
        Timeouts t = load("https://api.internal", null).timeouts();
        String http = LiveRoute.poolKey(load("http://api.internal:443", null).stable(), t);
        String system = LiveRoute.poolKey(load("https://api.internal", null).stable(), t);
        String system2 = LiveRoute.poolKey(load("https://api.internal:443", null).stable(), t);
        String ca = LiveRoute.poolKey(load("https://api.internal", "{ ca-file = \"ca.pem\" }").stable(), t);
        String named = LiveRoute.poolKey(load("https://api.internal", "{ server-name = \"x.internal\" }").stable(), t);
        String insecure = LiveRoute.poolKey(
                load("https://api.internal", "{ insecure-skip-verify = true }").stable(), t);

        assertThat(List.of(http, system, ca, named, insecure)).doesNotHaveDuplicates();
        assertThat(LiveRoute.poolKey(load("https://api.internal", null).stable(), t)).isEqualTo(system);
        assertThat(system2).isNotNull();
    }

    @Test
    void newTlsSettingsAreNotANewService() throws Exception {
        CA.writeCertificate(dir.resolve("ca.pem"));
        Upstream plain = load("https://api.internal", null).stable();
        Upstream withCa = load("https://api.internal", "{ ca-file = \"ca.pem\" }").stable();
        assertThat(withCa).isNotEqualTo(plain);
        assertThat(withCa.sameService(plain)).as("a revert is lifted by a new url or version only").isTrue();
        assertThat(withCa.sameService(load("https://api2.internal", null).stable())).isFalse();
    }
}
