package dev.ramp.gateway.proxy.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.config.Upstream;
import dev.ramp.gateway.config.UpstreamTlsSettings;
import dev.ramp.gateway.testing.TestCertificates;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Client contexts are made once per distinct trust setting; each handler carries its own server name. */
class UpstreamTlsTest {
    private static final TestCertificates CA = TestCertificates.authority("Ramp Upstream Test CA");

    private static Upstream upstream(String url, UpstreamTlsSettings tls) {
        return new Upstream(URI.create(url), "v1", tls);
    }

    private static SslHandler handler(UpstreamTls tls, Upstream u) throws Exception {
        return tls.newHandler(ByteBufAllocator.DEFAULT, u, 2000);
    }

    @Test
    void oneContextPerTrustSettingWhateverTheHostOrServerName() throws Exception {
        UpstreamTls tls = new UpstreamTls(SslProvider.JDK);
        UpstreamTlsSettings ca = new UpstreamTlsSettings(Path.of("ca.pem"), List.of(CA.certificate()), null, false);
        UpstreamTlsSettings named = new UpstreamTlsSettings(Path.of("other/ca.pem"), List.of(CA.certificate()),
                "api.internal", false);

        SslHandler a = handler(tls, upstream("https://a.internal", ca));
        SslHandler b = handler(tls, upstream("https://b.internal:8443", named));
        assertThat(tls.contexts()).as("same CA certificates: one context").isEqualTo(1);

        handler(tls, upstream("https://a.internal", UpstreamTlsSettings.DEFAULT));
        handler(tls, upstream("https://a.internal", new UpstreamTlsSettings(null, List.of(), null, true)));
        assertThat(tls.contexts()).isEqualTo(3);

        assertThat(a.engine().getPeerHost()).isEqualTo("a.internal");
        assertThat(b.engine().getPeerHost()).as("the server name is sent and verified").isEqualTo("api.internal");
        assertThat(b.engine().getPeerPort()).isEqualTo(8443);
        assertThat(a.engine().getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
        assertThat(a.engine().getUseClientMode()).isTrue();
        ReferenceCountUtil.release(a.engine());
        ReferenceCountUtil.release(b.engine());
    }

    @Test
    void skippingVerificationAlsoSkipsTheNameCheck() throws Exception {
        UpstreamTls tls = new UpstreamTls(SslProvider.JDK);
        SslHandler h = handler(tls, upstream("https://a.internal",
                new UpstreamTlsSettings(null, List.of(), null, true)));
        assertThat(h.engine().getSSLParameters().getEndpointIdentificationAlgorithm()).isNull();
    }
}
