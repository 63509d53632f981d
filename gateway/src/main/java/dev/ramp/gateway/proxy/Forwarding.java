package dev.ramp.gateway.proxy;

import dev.ramp.gateway.config.Fallback;
import dev.ramp.gateway.config.RouteConfig;
import dev.ramp.gateway.config.Sticky;
import dev.ramp.gateway.config.Upstream;
import dev.ramp.gateway.guard.Outcome;
import dev.ramp.gateway.routing.Version;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.cookie.CookieHeaderNames;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import java.net.ConnectException;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The rules both data-path engines (Vert.x and Netty) share, kept in one place so they cannot drift: which
 * requests may be replayed, how a failed attempt or a malformed request maps to a {@link GatewayError} and
 * its message, the identity cookie, and what the canary breaker records. No HTTP-library state lives here.
 */
public final class Forwarding {
    private Forwarding() {}

    /** A gateway-produced answer: which error and the message of its JSON body. */
    public record Failure(GatewayError error, String message) {}

    /** Methods RFC 9110 calls idempotent: a replay to stable cannot do twice what the canary did once. */
    public static boolean idempotentMethod(String method) {
        return switch (method) {
            case "GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE" -> true;
            default -> false;
        };
    }

    /**
     * Whether a canary-bound request may be replayed on stable once its body reached the canary, as far as
     * the head tells: idempotent (or carrying an Idempotency-Key) and not announcing a body over the limit.
     * A body without a length (chunked) is decided while it streams.
     */
    public static boolean replayableHead(boolean idempotent, String contentLength, Fallback f) {
        if (!idempotent) {
            return false;
        }
        if (contentLength != null) {
            try {
                return Long.parseLong(contentLength.trim()) <= f.maxReplayBody();
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    /** The 404 message for a request no route matches. */
    public static String noRouteMessage(String host, String path) {
        return "no route matches host " + (host == null ? "(none)" : "\"" + host + "\"") + " and path \"" + path + "\"";
    }

    /** The 400 message for an override header with a value that names no version. */
    public static String badOverrideMessage(String header, String value) {
        return "header " + header + ": \"" + value + "\" (expected: stable or canary)";
    }

    /**
     * A fresh anonymous identity: 128 random bits, URL-safe. It is a bucketing key, not a secret, so the
     * thread-local generator is enough.
     */
    public static String randomId() {
        byte[] b = new byte[16];
        ThreadLocalRandom.current().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The Set-Cookie value that stores a fresh identity: HttpOnly, SameSite=Lax, Path=/, Max-Age. */
    public static String identityCookie(Sticky sticky, String identity) {
        DefaultCookie c = new DefaultCookie(sticky.cookie(), identity);
        c.setPath("/");
        c.setHttpOnly(true);
        c.setSameSite(CookieHeaderNames.SameSite.Lax);
        c.setMaxAge(sticky.cookieMaxAge().toSeconds());
        return ServerCookieEncoder.STRICT.encode(c);
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
        if (outcome == Outcome.CONNECT_ERROR && isTimeout(cause)) {
            return new Failure(GatewayError.UPSTREAM_TIMEOUT, "connecting to " + version.tag() + " upstream "
                    + upstream.authority() + " timed out after " + rc.timeouts().connect().toMillis() + " ms");
        }
        if (outcome == Outcome.CONNECT_ERROR) {
            return new Failure(GatewayError.UPSTREAM_UNAVAILABLE, "cannot connect to " + version.tag() + " upstream "
                    + upstream.authority() + ": " + reason(cause));
        }
        return new Failure(GatewayError.UPSTREAM_UNAVAILABLE, version.tag() + " upstream " + upstream.authority()
                + " failed before a complete response head: " + reason(cause));
    }

    /** Reports a canary attempt's result to its breaker. */
    public static void recordOnBreaker(CircuitBreaker b, Outcome outcome, long nanos) {
        if (outcome.isError()) {
            b.onError(nanos, TimeUnit.NANOSECONDS, new UpstreamFailure(outcome));
        } else {
            b.onSuccess(nanos, TimeUnit.NANOSECONDS);
        }
    }

    public static boolean isTimeout(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConnectTimeoutException || c instanceof TimeoutException
                || c instanceof java.net.SocketTimeoutException || c instanceof ResponseTimeout) {
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

    /** What the canary breaker records for a failed attempt. */
    static final class UpstreamFailure extends Exception {
        private static final long serialVersionUID = 1L;

        UpstreamFailure(Outcome outcome) {
            super(outcome.tag(), null, false, false);
        }
    }
}
