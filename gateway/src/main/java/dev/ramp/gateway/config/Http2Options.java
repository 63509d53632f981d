package dev.ramp.gateway.config;

/**
 * HTTP/2 to clients ({@code ramp.listen.http2}, {@code ramp.listen.h2c} and the stream limits in
 * {@code ramp.listen.limits}). Streams are proxied exactly as HTTP/1.1 requests; the upstream side stays
 * HTTP/1.1. Read at start: a change needs a restart.
 *
 * @param alpn                 offer {@code h2} by ALPN on a TLS listener (clients without it get HTTP/1.1)
 * @param cleartext            accept HTTP/2 with prior knowledge (h2c) on a plain listener, beside HTTP/1.1
 * @param maxConcurrentStreams SETTINGS_MAX_CONCURRENT_STREAMS: streams one connection may have open at once
 * @param streamWindow         each stream's receive window in bytes: what a client may send ahead of the
 *                             upstream reading it (the request body's back-pressure)
 */
public record Http2Options(boolean alpn, boolean cleartext, int maxConcurrentStreams, int streamWindow) {
    /** The smallest window HTTP/2 allows a sender to assume (RFC 9113 6.9.2), and the largest it allows. */
    public static final int MIN_WINDOW = 65_535;
    public static final int MAX_WINDOW = Integer.MAX_VALUE;

    /** Whether any listener offers HTTP/2 under {@code tls}. */
    public boolean offered(boolean tls) {
        return tls ? alpn : cleartext;
    }
}
