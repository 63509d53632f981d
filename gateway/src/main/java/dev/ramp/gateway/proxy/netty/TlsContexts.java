package dev.ramp.gateway.proxy.netty;

import dev.ramp.gateway.config.CertifiedKey;
import dev.ramp.gateway.config.TlsSettings;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;

/**
 * The traffic listener's TLS: one server context per configured certificate and the SNI mapping from host
 * name to context, with the default certificate for clients that name no host or one no entry lists.
 * {@link io.netty.handler.ssl.SniHandler} asks {@link #map(String)} once per connection, so a
 * {@link #reload(TlsSettings)} (new files, new paths) applies to every connection accepted after it, while
 * open connections keep the context they shook hands with.
 *
 * <p>TLS 1.2 and 1.3 only, with forward-secret AEAD ciphers. The provider is OpenSSL (BoringSSL through
 * netty-tcnative) when it loads on this platform, the JDK's otherwise.
 *
 * <p>Thread-safe: the mapping and status are immutable values swapped atomically; reloads are serialized
 * by the caller ({@link CertificateReloader}).
 */
public final class TlsContexts implements Mapping<String, SslContext> {
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /** TLS 1.3's three, then ECDHE with AES-GCM or ChaCha20-Poly1305 for TLS 1.2 (Mozilla "intermediate"). */
    static final List<String> CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /** ALPN names offered when HTTP/2 is on, most preferred first; a client without ALPN gets HTTP/1.1. */
    static final List<String> H2_AND_HTTP1 = List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);

    private final SslProvider provider;
    private final Clock clock;
    private final boolean http2;
    private final AtomicReference<Mapping<String, SslContext>> mapping = new AtomicReference<>();
    private final AtomicReference<TlsStatus> status = new AtomicReference<>();

    private TlsContexts(SslProvider provider, Clock clock, boolean http2) {
        this.provider = provider;
        this.clock = clock;
        this.http2 = http2;
    }

    /**
     * Reads every certificate and key of {@code settings} with the provider it names ({@code auto}: OpenSSL if
     * it loads, else the JDK).
     *
     * @throws CertifiedKey.Unusable naming the file that cannot be used
     * @throws IllegalStateException when {@code openssl} is named but cannot load here
     */
    public static TlsContexts load(TlsSettings settings) throws CertifiedKey.Unusable {
        return load(settings, false);
    }

    /** @param http2 offer {@code h2} by ALPN (then {@code http/1.1}) */
    public static TlsContexts load(TlsSettings settings, boolean http2) throws CertifiedKey.Unusable {
        return load(settings, Clock.systemUTC(), http2);
    }

    static TlsContexts load(TlsSettings settings, Clock clock) throws CertifiedKey.Unusable {
        return load(settings, clock, false);
    }

    static TlsContexts load(TlsSettings settings, Clock clock, boolean http2) throws CertifiedKey.Unusable {
        SslProvider provider = switch (settings.provider()) {
            case AUTO -> OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
            case JDK -> SslProvider.JDK;
            case OPENSSL -> {
                if (!OpenSsl.isAvailable()) {
                    throw new IllegalStateException("ramp.listen.tls.provider = \"openssl\" cannot load here: "
                            + OpenSsl.unavailabilityCause() + " (expected: \"auto\" or \"jdk\" on this platform)");
                }
                yield SslProvider.OPENSSL;
            }
        };
        TlsContexts t = new TlsContexts(provider, clock, http2);
        t.reload(settings);
        return t;
    }

    /**
     * Reads the files again and, only if every pair is usable, serves them to new connections.
     *
     * @throws CertifiedKey.Unusable naming the file at fault; the contexts served before stay
     */
    public void reload(TlsSettings settings) throws CertifiedKey.Unusable {
        List<TlsStatus.Certificate> certificates = new ArrayList<>();
        CertifiedKey pair = CertifiedKey.read(settings.cert(), settings.key());
        certificates.add(describe(List.of(), settings.cert(), pair.leaf()));
        DomainWildcardMappingBuilder<SslContext> b = new DomainWildcardMappingBuilder<>(context(settings.cert(), pair));
        for (TlsSettings.Sni sni : settings.sni()) {
            CertifiedKey p = CertifiedKey.read(sni.cert(), sni.key());
            certificates.add(describe(sni.hosts(), sni.cert(), p.leaf()));
            SslContext c = context(sni.cert(), p);
            sni.hosts().forEach(h -> b.add(h, c));
        }
        mapping.set(b.build());
        status.set(new TlsStatus(providerName(), clock.instant(), certificates, null, null));
    }

    /** The last reload was refused: the contexts stay, {@code error} is reported until a good reload. */
    public void failed(String error) {
        status.updateAndGet(s -> s.failed(error, clock.instant()));
    }

    /** The files are back to the ones served: the last error is over. */
    public void cleared() {
        status.updateAndGet(s -> s.failed(null, null));
    }

    /** The context for a client's SNI host name (null: none sent). */
    @Override
    public SslContext map(String host) {
        return mapping.get().map(host);
    }

    public TlsStatus status() {
        return status.get();
    }

    /** Whether connections may negotiate HTTP/2 (ALPN {@code h2}). */
    boolean http2() {
        return http2;
    }

    /** The provider the listener uses; https upstreams use it too. */
    SslProvider sslProvider() {
        return provider;
    }

    /** "OpenSSL" or "JDK". */
    public String providerName() {
        return provider == SslProvider.JDK ? "JDK" : "OpenSSL";
    }

    private SslContext context(Path certFile, CertifiedKey pair) throws CertifiedKey.Unusable {
        try {
            return SslContextBuilder.forServer(pair.key(), pair.chain().toArray(X509Certificate[]::new))
                    .sslProvider(provider)
                    .protocols(PROTOCOLS)
                    .ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(http2 ? new ApplicationProtocolConfig(Protocol.ALPN,
                            SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT, H2_AND_HTTP1)
                            : ApplicationProtocolConfig.DISABLED)
                    .build();
        } catch (SSLException | RuntimeException e) {
            throw new CertifiedKey.Unusable(certFile + ": rejected by the " + providerName() + " TLS provider: "
                                            + e.getMessage());
        }
    }

    private static TlsStatus.Certificate describe(List<String> hosts, Path file, X509Certificate leaf) {
        return new TlsStatus.Certificate(hosts, file, leaf.getSubjectX500Principal().getName(),
                leaf.getSerialNumber().toString(16), leaf.getNotAfter().toInstant());
    }
}
