package dev.ramp.gateway.proxy.netty;

import dev.ramp.gateway.config.Upstream;
import dev.ramp.gateway.config.UpstreamTlsSettings;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * The client side of TLS to {@code https://} upstreams: one {@link SslContext} per distinct trust setting
 * (the CA certificates, or none for the JDK's trust store, or trust-anything), shared by every event loop and
 * every connection, and an {@link SslHandler} per connection that sends the upstream's server name as SNI and
 * verifies the certificate against it (endpoint identification "HTTPS", as a browser does). The provider is
 * the listener's: OpenSSL (BoringSSL through netty-tcnative) where it loads, else the JDK's.
 *
 * <p>Thread-safe: contexts are immutable and made at most once per setting (a concurrent map); the handler
 * is made on the connection's event loop.
 */
final class UpstreamTls {
    /** What an {@link SslContext} depends on; the server name is per handler, not per context. */
    private record Trust(List<X509Certificate> cas, boolean insecure) {}

    private final SslProvider provider;
    private final ConcurrentMap<Trust, SslContext> contexts = new ConcurrentHashMap<>();

    UpstreamTls(SslProvider provider) {
        this.provider = provider;
    }

    /** OpenSSL where it loads, else the JDK: the listener's choice when it terminates no TLS itself. */
    static SslProvider defaultProvider() {
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /**
     * A client handler for one connection to {@code upstream}: SNI and the verified name are
     * {@link Upstream#serverName()}, and the handshake must end within {@code handshakeTimeoutMillis}.
     *
     * @throws SSLException when the provider refuses the trust settings (the attempt fails to connect)
     */
    SslHandler newHandler(ByteBufAllocator alloc, Upstream upstream, long handshakeTimeoutMillis)
            throws SSLException {
        UpstreamTlsSettings s = upstream.tls();
        SslContext ctx = context(new Trust(s.trusted(), s.insecureSkipVerify()));
        SslHandler h = ctx.newHandler(alloc, upstream.serverName(), upstream.port());
        SSLEngine engine = h.engine();
        SSLParameters p = engine.getSSLParameters();
        // Verify the certificate's name as well as its chain; the JDK's trust manager does it for either provider.
        p.setEndpointIdentificationAlgorithm(s.insecureSkipVerify() ? null : "HTTPS");
        engine.setSSLParameters(p);
        h.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
        return h;
    }

    private SslContext context(Trust t) throws SSLException {
        SslContext c = contexts.get(t);
        if (c != null) {
            return c;
        }
        SslContextBuilder b = SslContextBuilder.forClient()
                .sslProvider(provider)
                .protocols(TlsContexts.PROTOCOLS); // the provider's default ciphers: upstreams may be older than clients
        if (t.insecure()) {
            b.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
        } else {
            b.endpointIdentificationAlgorithm("HTTPS");
            if (!t.cas().isEmpty()) {
                b.trustManager(t.cas().toArray(X509Certificate[]::new));
            } // else the JDK's default trust store
        }
        SslContext built = b.build();
        SslContext raced = contexts.putIfAbsent(t, built);
        return raced != null ? raced : built;
    }

    /** How many distinct contexts were made (tests). */
    int contexts() {
        return contexts.size();
    }
}
