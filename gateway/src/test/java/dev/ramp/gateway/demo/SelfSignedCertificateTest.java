package dev.ramp.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.config.CertifiedKey;
import dev.ramp.gateway.config.ConfigLoader;
import dev.ramp.gateway.config.GatewayConfig;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfSignedCertificateTest {
    @TempDir
    Path dir;

    @Test
    void theDemoCertificateIsAValidSelfSignedCertificateForLocalhostWithItsKey() throws Exception {
        SelfSignedCertificate.write(dir.resolve("cert.pem"), dir.resolve("key.pem"));

        CertifiedKey pair = CertifiedKey.read(dir.resolve("cert.pem"), dir.resolve("key.pem")); // the key matches
        X509Certificate c = pair.leaf();
        c.verify(c.getPublicKey()); // self-signed, signature valid
        c.checkValidity();
        assertThat(c.getVersion()).isEqualTo(3);
        assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        assertThat(c.getIssuerX500Principal()).isEqualTo(c.getSubjectX500Principal());
        assertThat(c.getSubjectAlternativeNames()).containsExactlyInAnyOrder(List.of(2, "localhost"), List.of(7, "127.0.0.1"));
        assertThat(c.getNotAfter().toInstant()).isAfter(Instant.now().plusSeconds(29L * 24 * 3600));
    }

    @Test
    void demoTlsRunsTheDemoConfigWithTheCertificateAndATokenAdded() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        SelfSignedCertificate.write(cert, key);
        Path wrapper = DemoToken.wrap(Path.of("../config/demo.conf"), "t0ken", cert, key, dir);

        GatewayConfig c = ConfigLoader.load(wrapper);
        assertThat(c.tls()).get().satisfies(t -> {
            assertThat(t.cert()).isEqualTo(cert.toAbsolutePath());
            assertThat(t.key()).isEqualTo(key.toAbsolutePath());
        });
        assertThat(c.admin().token()).contains("t0ken");
        assertThat(c.routes()).extracting(r -> r.name()).containsExactly("demo", "plan");
    }
}
