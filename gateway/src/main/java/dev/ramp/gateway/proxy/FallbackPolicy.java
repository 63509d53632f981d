package dev.ramp.gateway.proxy;

import dev.ramp.gateway.config.Fallback;

/**
 * Whether a failed canary attempt may be retried once on stable: the rules of docs/architecture.md,
 * "Fallback and the canary circuit breaker", as pure functions of plain values, so they are tested without
 * sockets and cost the data path no object per request. A retry must never do twice what the canary may
 * have done once, and never send stable a body it cannot replay whole:
 * <ul>
 *   <li>nothing reached the canary (connect failed, breaker open): always;</li>
 *   <li>otherwise the method is idempotent (RFC 9110) or the request carries an Idempotency-Key, the body
 *       was kept whole (at most {@code max-replay-body}) and has ended;</li>
 *   <li>a status answer only when {@code on-status} lists it; a timeout or reset before the response head
 *       under the same replay rule;</li>
 *   <li>at most once per request (the caller stops asking after the retry).</li>
 * </ul>
 */
public final class FallbackPolicy {
    private FallbackPolicy() {}

    /**
     * Whether a canary-bound request may be replayed on stable once it reached the canary, as far as its head
     * tells: idempotent (or with an Idempotency-Key) and not announcing a body over the limit. A body without a
     * length (chunked) is judged while it streams ({@link #fits}).
     *
     * @param contentLength the Content-Length header, or null
     */
    public static boolean replayableHead(Fallback settings, String method, boolean idempotencyKey,
                                         String contentLength) {
        if (!idempotentMethod(method) && !idempotencyKey) {
            return false;
        }
        if (contentLength == null) {
            return true;
        }
        try {
            return Long.parseLong(contentLength.trim()) <= settings.maxReplayBody();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Whether {@code more} body bytes still fit the copy kept for a replay, which holds {@code kept}. */
    public static boolean fits(Fallback settings, long kept, int more) {
        return kept + more <= settings.maxReplayBody();
    }

    /** Whether the canary's answer with {@code status} is replaced by stable's. */
    public static boolean retriesOnStatus(Fallback settings, int status, boolean replayable, boolean requestComplete) {
        return settings.enabled() && settings.retriesOn(status) && replayable && requestComplete;
    }

    /**
     * Whether a canary attempt that failed before its response head (connect error, reset, timeout) is retried.
     *
     * @param neverSent nothing of the request reached the canary
     */
    public static boolean retriesOnFailure(Fallback settings, boolean neverSent, boolean replayable,
                                           boolean requestComplete) {
        return settings.enabled() && (neverSent || replayable && requestComplete);
    }

    /** Methods RFC 9110 calls idempotent: a replay to stable cannot do twice what the canary did once. */
    static boolean idempotentMethod(String method) {
        return switch (method) {
            case "GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE" -> true;
            default -> false;
        };
    }
}
