package dev.ramp.gateway.config;

/**
 * Which TLS implementation terminates TLS on the traffic listener ({@code ramp.listen.tls.provider}).
 * {@link #AUTO} is OpenSSL where it loads, else the JDK's. A named one that cannot load is a start-up error,
 * never a silent fallback.
 */
public enum TlsProvider {
    /** OpenSSL where it loads, else the JDK. */
    AUTO("auto"),
    /** BoringSSL through netty-tcnative (bundled for linux-x86_64): less CPU per handshake and per byte. */
    OPENSSL("openssl"),
    /** The JDK's TLS (JSSE): works everywhere. */
    JDK("jdk");

    private final String tag;

    TlsProvider(String tag) {
        this.tag = tag;
    }

    /** The value as written in the config. */
    public String tag() {
        return tag;
    }
}
