package dev.ramp.gateway.proxy;

import dev.ramp.gateway.config.RouteConfig;
import dev.ramp.gateway.config.Upstream;
import dev.ramp.gateway.guard.Outcome;
import dev.ramp.gateway.routing.Version;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * The one place that maps what went wrong to the answer the gateway gives itself: a {@link GatewayError}
 * (status and JSON body) and its message, for requests no route matches, requests the decoder rejected
 * and upstream attempts that failed without a fallback.
 */
public final class Failures {
    private Failures() {}

    /** A gateway-produced answer: which error and the message of its JSON body. */
    public record Failure(GatewayError error, String message) {}

    /** The 404 message for a request no route matches. */
    public static String noRouteMessage(String host, String path) {
        return "no route matches host " + (host == null ? "(none)" : "\"" + host + "\"") + " and path \"" + path + "\"";
    }

    /** The answer to a request the HTTP decoder rejected (the connection is closed after it). */
    public static Failure malformed(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return new Failure(GatewayError.URI_TOO_LONG, "request line longer than 8192 bytes");
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return new Failure(GatewayError.HEADERS_TOO_LARGE, "request headers larger than 16 KiB");
        }
        if (cause instanceof TooLongFrameException) {
            return new Failure(GatewayError.HEADERS_TOO_LARGE, String.valueOf(cause.getMessage()));
        }
        if (cause != null && cause.getMessage() != null) {
            return new Failure(GatewayError.BAD_REQUEST, "malformed HTTP request: " + cause.getMessage());
        }
        return new Failure(GatewayError.BAD_REQUEST, "malformed HTTP request");
    }

    /**
     * The answer to a failed attempt that cannot fall back.
     *
     * @param responseTimedOut whether the response timeout (not the idle timeout) ended the attempt
     */
    public static Failure upstreamFailure(LiveRoute route, Version version, Outcome outcome, Throwable cause,
                                   boolean responseTimedOut) {
        Upstream upstream = route.upstream(version);
        RouteConfig rc = route.config();
        if (outcome == Outcome.TIMEOUT) {
            return new Failure(GatewayError.UPSTREAM_TIMEOUT, version.tag() + " upstream " + upstream.authority()
                    + " sent no response head within "
                    + (responseTimedOut ? rc.timeouts().response().toMillis() + " ms"
                                        : "the idle timeout of " + rc.timeouts().idle().toMillis() + " ms"));
        }
        if (cause instanceof NoFreeConnection busy) {
            return new Failure(GatewayError.UPSTREAM_TIMEOUT, "no connection to " + version.tag() + " upstream "
                    + upstream.authority() + " came free within " + busy.waitedMillis + " ms (" + busy.open
                    + " open from this event loop, its limit: ramp.listen.limits.max-upstream-connections)");
        }
        if (outcome == Outcome.CONNECT_ERROR && isTimeout(cause)) {
            return new Failure(GatewayError.UPSTREAM_TIMEOUT, "connecting to " + version.tag() + " upstream "
                    + upstream.authority() + " timed out after " + rc.timeouts().connect().toMillis() + " ms");
        }
        if (outcome == Outcome.CONNECT_ERROR && handshake(cause) != null) {
            return new Failure(GatewayError.UPSTREAM_UNAVAILABLE, "cannot connect to " + version.tag() + " upstream "
                    + upstream.authority() + ": " + tlsReason(upstream, handshake(cause)));
        }
        if (outcome == Outcome.CONNECT_ERROR) {
            return new Failure(GatewayError.UPSTREAM_UNAVAILABLE, "cannot connect to " + version.tag() + " upstream "
                    + upstream.authority() + ": " + reason(cause));
        }
        return new Failure(GatewayError.UPSTREAM_UNAVAILABLE, version.tag() + " upstream " + upstream.authority()
                + " failed before a complete response head: " + reason(cause));
    }

    /** The TLS handshake failure in {@code t}'s causes, or null. */
    private static SSLException handshake(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SSLException e) {
                return e;
            }
        }
        return null;
    }

    /**
     * Why a handshake with an https upstream failed, in the operator's terms: the certificate is not trusted,
     * or is not issued for the name Ramp verified, with the provider's own words after. {@code upstream} may be
     * null (a log line that names it already): then the name and trust source are left out.
     */
    static String tlsReason(Upstream upstream, SSLException e) {
        StringBuilder detail = new StringBuilder();
        for (Throwable c = e; c != null; c = c.getCause()) {
            String m = c.getMessage();
            // Each cause repeats or wraps the one below; OpenSSL's own top line says nothing.
            if (m != null && !m.equals("General OpenSslEngine problem") && detail.indexOf(m) < 0) {
                detail.append(detail.length() == 0 ? "" : "; ").append(m);
            }
        }
        String d = detail.toString();
        String lower = d.toLowerCase(java.util.Locale.ROOT);
        String what;
        if (lower.contains("no subject alternative") || lower.contains("no name matching")
            || lower.contains("hostname") || lower.contains("does not match")) {
            what = upstream == null ? "TLS certificate name mismatch"
                    : "TLS certificate name mismatch: the certificate is not issued for \"" + upstream.serverName()
                      + "\" (set tls.server-name to the name it is issued for)";
        } else if (lower.contains("pkix") || lower.contains("certification path") || lower.contains("certificate_verify")
                   || lower.contains("unknown_ca") || lower.contains("not trusted") || lower.contains("self signed")
                   || lower.contains("self-signed")) {
            what = upstream == null ? "TLS certificate not trusted"
                    : "TLS certificate not trusted: not signed by a CA in " + upstream.tls().trustSource();
        } else {
            what = "TLS handshake failed";
        }
        return what + " (" + (d.isEmpty() ? e.getClass().getSimpleName() : d) + ")";
    }

    public static boolean isTimeout(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConnectTimeoutException || c instanceof TimeoutException
                || c instanceof java.net.SocketTimeoutException || c instanceof ResponseTimeout
                || c instanceof io.netty.handler.ssl.SslHandshakeTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** A short human reason for a failure, for logs and error messages. */
    public static String reason(Throwable t) {
        if (t == null) {
            return "unknown";
        }
        Throwable c = t;
        while (c.getCause() != null && c.getMessage() == null) {
            c = c.getCause();
        }
        if (c instanceof ConnectException) {
            return "connection refused";
        }
        SSLException tls = handshake(t);
        if (tls != null) {
            return tlsReason(null, tls);
        }
        String m = c.getMessage();
        return m == null ? c.getClass().getSimpleName() : m;
    }

    /** The response timeout fired before the upstream's response head arrived. */
    public static final class ResponseTimeout extends Exception {
        private static final long serialVersionUID = 1L;

    public     ResponseTimeout(long ms) {
            super("no response head within " + ms + " ms", null, false, false);
        }
    }

    /**
     * An attempt waited {@code ramp.listen.limits.upstream-wait} for a connection to its origin and none came
     * free: the event loop already had its most open to it.
     */
    public static final class NoFreeConnection extends Exception {
        private static final long serialVersionUID = 1L;
        final int open;
        final long waitedMillis;

        public NoFreeConnection(int open, long waitedMillis) {
            super("no upstream connection came free within " + waitedMillis + " ms", null, false, false);
            this.open = open;
            this.waitedMillis = waitedMillis;
        }
    }
}
