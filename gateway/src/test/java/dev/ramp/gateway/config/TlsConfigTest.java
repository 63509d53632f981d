package dev.ramp.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.testing.TestCertificates;
import dev.ramp.gateway.testing.TestCertificates.KeyFormat;
import dev.ramp.gateway.testing.TestCertificates.KeyType;
import dev.ramp.gateway.testing.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ramp.listen.tls}: keys, files and their problems, with file:line, as validate reports them. */
class TlsConfigTest {
    private static final TestCertificates CA = TestCertificates.authority("Ramp Test CA");

    @TempDir
    Path dir;

    private String conf(String tls) {
        return TestConfigs.gateway(dir, "", "listen.tls " + tls);
    }

    private GatewayConfig load(String tls) throws InvalidConfigException {
        return ConfigLoader.load(TestConfigs.write(dir, "gateway.conf", conf(tls)));
    }

    private List<ConfigProblem> problems(String tls) {
        try {
            load(tls);
        } catch (InvalidConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected the config to be invalid: " + tls);
    }

    @Test
    void withoutTlsTheListenerIsPlainHttp() throws Exception {
        GatewayConfig c = ConfigLoader.load(TestConfigs.write(dir, "g.conf", TestConfigs.gateway(dir, "", "")));
        assertThat(c.tls()).isEmpty();
    }

    @Test
    void relativePathsResolveAgainstTheConfigFilesDirectory() throws Exception {
        CA.issue("ramp.test", "ramp.test").writeTo(dir.resolve("cert.pem"), dir.resolve("key.pem"));
        TlsSettings t = load("{ cert = \"cert.pem\", key = \"key.pem\" }").tls().orElseThrow();
        assertThat(t.cert()).isEqualTo(dir.resolve("cert.pem"));
        assertThat(t.key()).isEqualTo(dir.resolve("key.pem"));
        assertThat(t.provider()).isEqualTo(TlsProvider.AUTO);
        assertThat(t.sni()).isEmpty();
    }

    @Test
    void pkcs1RsaAndSec1EcKeysAreReadAsWellAsPkcs8() throws Exception {
        TestCertificates.Leaf rsa = CA.issue("rsa.test", KeyType.RSA, "rsa.test")
                .writeTo(dir.resolve("rsa.pem"), dir.resolve("rsa-key.pem"), KeyFormat.TRADITIONAL);
        TestCertificates.Leaf ec = CA.issue("ec.test", KeyType.EC, "ec.test")
                .writeTo(dir.resolve("ec.pem"), dir.resolve("ec-key.pem"), KeyFormat.TRADITIONAL);
        assertThat(Files.readString(dir.resolve("rsa-key.pem"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(Files.readString(dir.resolve("ec-key.pem"))).startsWith("-----BEGIN EC PRIVATE KEY-----");

        CertifiedKey r = CertifiedKey.read(dir.resolve("rsa.pem"), dir.resolve("rsa-key.pem"));
        CertifiedKey e = CertifiedKey.read(dir.resolve("ec.pem"), dir.resolve("ec-key.pem"));
        assertThat(r.key().getEncoded()).isEqualTo(rsa.keys().getPrivate().getEncoded());
        assertThat(e.leaf()).isEqualTo(ec.certificate());
        assertThat(load("{ cert = \"rsa.pem\", key = \"rsa-key.pem\", "
                        + "sni = [ { hosts = [\"EC.test\", \"*.ec.test\"], cert = \"ec.pem\", key = \"ec-key.pem\" } ] }")
                .tls().orElseThrow().sni().get(0).hosts()).containsExactly("ec.test", "*.ec.test");
    }

    @Test
    void aMissingFileIsAnErrorAtItsLine() {
        CA.issue("ramp.test").writeTo(dir.resolve("cert.pem"), dir.resolve("key.pem"));
        List<ConfigProblem> p = problems("{\n cert = \"cert.pem\"\n key = \"nope.pem\"\n}");
        assertThat(p).singleElement().satisfies(x -> {
            assertThat(x.path()).isEqualTo("ramp.listen.tls.key");
            assertThat(x.message()).contains("nope.pem").contains("file not found");
            assertThat(x.line()).isGreaterThan(0);
            assertThat(x.file()).endsWith("gateway.conf");
        });
    }

    @Test
    void aFileThatIsNotPemSaysWhatWasExpected() throws Exception {
        CA.issue("ramp.test").writeTo(dir.resolve("cert.pem"), dir.resolve("key.pem"));
        Files.writeString(dir.resolve("junk.pem"), "not a certificate\n");
        assertThat(problems("{ cert = \"junk.pem\", key = \"key.pem\" }")).singleElement().satisfies(x -> {
            assertThat(x.path()).isEqualTo("ramp.listen.tls.cert");
            assertThat(x.message()).contains("junk.pem: no certificate found (expected: a PEM certificate chain");
        });
        assertThat(problems("{ cert = \"cert.pem\", key = \"junk.pem\" }")).singleElement()
                .satisfies(x -> assertThat(x.message()).contains("junk.pem: no private key found"));
    }

    @Test
    void aKeyThatDoesNotMatchItsCertificateIsRefused() {
        CA.issue("one.test").writeTo(dir.resolve("one.pem"), dir.resolve("one-key.pem"));
        CA.issue("two.test").writeTo(dir.resolve("two.pem"), dir.resolve("two-key.pem"));
        assertThat(problems("{ cert = \"one.pem\", key = \"two-key.pem\" }")).singleElement().satisfies(x -> {
            assertThat(x.path()).isEqualTo("ramp.listen.tls.key");
            assertThat(x.message()).contains("the key does not match the certificate").contains("CN=one.test");
        });
    }

    @Test
    void unknownKeysBadHostsAndDuplicatesAreReportedTogether() {
        CA.issue("ramp.test").writeTo(dir.resolve("cert.pem"), dir.resolve("key.pem"));
        List<ConfigProblem> p = problems("{ cert = \"cert.pem\", key = \"key.pem\", ciphers = \"x\", provider = \"gnutls\","
                + " sni = [ { hosts = [\"a.test\"], cert = \"cert.pem\", key = \"key.pem\", kye = 1 },"
                + " { hosts = [\"A.test\"], cert = \"cert.pem\", key = \"key.pem\" },"
                + " { hosts = [\"bad host\"], cert = \"cert.pem\", key = \"key.pem\" } ] }");
        assertThat(p).extracting(ConfigProblem::path).containsExactlyInAnyOrder(
                "ramp.listen.tls.ciphers", "ramp.listen.tls.sni[0].kye", "ramp.listen.tls.provider",
                "ramp.listen.tls.sni[1].hosts[0]", "ramp.listen.tls.sni[2].hosts[0]");
        assertThat(p).filteredOn(x -> x.path().endsWith("kye")).singleElement()
                .satisfies(x -> assertThat(x.message()).contains("did you mean \"key\""));
        assertThat(p).filteredOn(x -> x.path().endsWith("sni[1].hosts[0]")).singleElement()
                .satisfies(x -> assertThat(x.message()).contains("already listed in ramp.listen.tls.sni[0]"));
    }

    @Test
    void anEmptyTlsBlockNeedsCertAndKey() {
        assertThat(problems("{ }")).extracting(ConfigProblem::path)
                .containsExactlyInAnyOrder("ramp.listen.tls.cert", "ramp.listen.tls.key");
    }

    @Test
    void aTypoOfTlsItselfGetsAHint() {
        List<ConfigProblem> p;
        try {
            ConfigLoader.load(TestConfigs.write(dir, "g.conf", TestConfigs.gateway(dir, "", "listen.tsl { }")));
            throw new AssertionError("expected an error");
        } catch (InvalidConfigException e) {
            p = e.problems();
        }
        assertThat(p).singleElement().satisfies(x -> assertThat(x.message()).contains("did you mean \"tls\""));
    }
}
