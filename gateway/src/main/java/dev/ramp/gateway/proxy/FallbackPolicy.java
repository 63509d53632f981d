package dev.ramp.gateway.proxy;

import dev.ramp.gateway.config.Fallback;

/**
 * Whether a failed canary attempt may be retried once on stable, for one request: the rules of
 * docs/architecture.md, "Fallback and the canary circuit breaker", as a small state machine fed with plain values, so it is
 * tested without sockets. A retry must never do twice what the canary may have done once, and never
 * send stable a body it cannot replay whole:
 * <ul>
 *   <li>nothing reached the canary (connect failed, breaker open): always;</li>
 *   <li>otherwise the method is idempotent (RFC 9110) or the request carries an Idempotency-Key, the body
 *       was kept whole (at most {@code max-replay-body}) and has ended;</li>
 *   <li>a status answer only when {@code on-status} lists it; a timeout or reset before the response head
 *       under the same replay rule;</li>
 *   <li>at most once per request.</li>
 * </ul>
 */
public final class FallbackPolicy {
    private final Fallback settings;
    private boolean available;
    private boolean replayable;
    private long kept;

    private FallbackPolicy(Fallback settings, boolean available, boolean replayable) {
        this.settings = settings;
        this.available = available;
        this.replayable = replayable;
    }

    /**
     * The policy for a canary-bound request, from its head.
     *
     * @param contentLength the Content-Length header, or null (no body, or chunked: decided while it streams)
     */
    public static FallbackPolicy forCanary(Fallback settings, String method, boolean idempotencyKey,
                                           String contentLength) {
        if (!settings.enabled()) {
            return new FallbackPolicy(settings, false, false);
        }
        boolean idempotent = idempotentMethod(method) || idempotencyKey;
        return new FallbackPolicy(settings, true, idempotent && withinLimit(contentLength, settings));
    }

    /** A request that never falls back (stable-bound, or fallback disabled). */
    public static FallbackPolicy none(Fallback settings) {
        return new FallbackPolicy(settings, false, false);
    }

    /** Methods RFC 9110 calls idempotent: a replay to stable cannot do twice what the canary did once. */
    static boolean idempotentMethod(String method) {
        return switch (method) {
            case "GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE" -> true;
            default -> false;
        };
    }

    private static boolean withinLimit(String contentLength, Fallback f) {
        if (contentLength == null) {
            return true;
        }
        try {
            return Long.parseLong(contentLength.trim()) <= f.maxReplayBody();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Whether the request body must be copied as it streams: a replay is still possible. */
    public boolean keepsBody() {
        return available && replayable;
    }

    /**
     * Another {@code bytes} of body arrived. Returns whether to keep a copy of them; false from the first piece
     * that would exceed {@code max-replay-body} on (the copy kept so far can then be dropped).
     */
    public boolean keep(int bytes) {
        if (!keepsBody()) {
            return false;
        }
        if (kept + bytes > settings.maxReplayBody()) {
            replayable = false;
            return false;
        }
        kept += bytes;
        return true;
    }

    /** Whether the canary's answer with {@code status} is replaced by stable's. */
    public boolean retriesOnStatus(int status, boolean requestComplete) {
        return available && settings.retriesOn(status) && replayable && requestComplete;
    }

    /**
     * Whether a canary attempt that failed before its response head (connect error, reset, timeout) is retried.
     *
     * @param neverSent nothing of the request reached the canary
     */
    public boolean retriesOnFailure(boolean neverSent, boolean requestComplete) {
        return available && (neverSent || replayable && requestComplete);
    }

    /** The one retry is being made; none follows. */
    public void used() {
        available = false;
    }

    /** Whether a retry is still possible at all. */
    public boolean available() {
        return available;
    }
}
