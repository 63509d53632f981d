package dev.ramp.gateway.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One webhook of {@code ramp.notify}: where events go, in which format, which of them, and how hard to try.
 *
 * <p>Invariants: every field is non-null and validated by the loader; {@code events} holds names of
 * {@link #EVENT_CATEGORIES}; the collections are unmodifiable. {@link #toString()} prints neither the URL's
 * path and query nor the header values: a Slack webhook URL and an Authorization header are secrets.
 *
 * @param name the {@code target} tag of {@code ramp_notifications_total}: unique, the URL's host by default
 * @param url the http or https URL posted to
 * @param format the body's format
 * @param events the event categories sent (see {@link #EVENT_CATEGORIES})
 * @param timeout how long one attempt may take, connection included
 * @param maxAttempts attempts per notification before it is given up (1 = no retry)
 * @param backoff the wait before the first retry, doubled before each next one
 * @param queue notifications waiting for this target at most; more are dropped and counted
 * @param headers extra request headers (e.g. Authorization)
 */
public record NotifyTarget(String name, URI url, NotifyFormat format, Set<String> events, Duration timeout,
                           int maxAttempts, Duration backoff, int queue, Map<String, String> headers) {

    /**
     * The names {@code events} accepts: {@code revert}, {@code resume}, {@code rollout} (every
     * {@code rollout_*} event), {@code ready_to_promote} ({@code rollout_ready_to_promote} alone),
     * {@code reload_failed}, {@code alert_unmatched} and {@code all}.
     */
    public static final Set<String> EVENT_CATEGORIES = Set.of("revert", "resume", "rollout", "ready_to_promote",
            "reload_failed", "alert_unmatched", "all");

    public NotifyTarget {
        requireNonNull(name, "name");
        requireNonNull(url, "url");
        requireNonNull(format, "format");
        events = Set.copyOf(events);
        requireNonNull(timeout, "timeout");
        requireNonNull(backoff, "backoff");
        headers = Map.copyOf(headers);
    }

    @Override
    public String toString() {
        return "NotifyTarget[name=" + name + ", url=" + url.getScheme() + "://" + url.getRawAuthority() + "/***, format="
               + format.tag() + ", events=" + new TreeSet<>(events) + ", timeout=" + timeout
               + ", maxAttempts=" + maxAttempts + ", backoff=" + backoff + ", queue=" + queue + ", headers="
               + headers.keySet() + "]";
    }
}
