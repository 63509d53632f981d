package dev.ramp.gateway.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A route's dark launch ({@code mirror { }}): which share of the users stable serves also have a copy of
 * their requests sent to the canary, which methods are copied, whether the two answers are compared and what
 * the comparison skips, how many copies may be in flight at once, and when the copies' results make a passing
 * verdict. A route has none (null in {@link RouteConfig}) while its {@code percent} is 0%, the default.
 *
 * @param percent       the share of users, by their bucket, whose requests are copied (above 0%)
 * @param methods       the request methods copied, upper case (GET and HEAD by default)
 * @param compare       whether headers and bodies are compared (digests; JSON by value); statuses always are
 * @param ignoreHeaders response header names the comparison skips, as written (compared case-insensitively)
 * @param ignoreFields  dotted paths of JSON fields the body comparison skips ({@code "meta.requestId"})
 * @param maxInFlight   copies in flight at once for the route; more are dropped and counted
 * @param verdict       when the copies of a recent window pass
 */
public record MirrorSettings(Percent percent, Set<String> methods, boolean compare, List<String> ignoreHeaders,
                             List<String> ignoreFields, int maxInFlight, Verdict verdict) {
    public MirrorSettings {
        methods = Set.copyOf(methods);
        ignoreHeaders = List.copyOf(ignoreHeaders);
        ignoreFields = List.copyOf(ignoreFields);
        Objects.requireNonNull(verdict, "verdict");
    }

    /**
     * The dark-launch verdict's thresholds ({@code mirror.verdict}): over the copies that ended within
     * {@code window}, it passes with at least {@code minCompared} of them, at most {@code maxMismatch} of them
     * differing or failing, and the canary's p99 at most {@code maxLatencyRatio} times stable's.
     *
     * @param window          the recent span judged
     * @param minCompared     copies compared in the window before anything is judged
     * @param maxMismatch     the highest share of copies that may differ or fail
     * @param maxLatencyRatio the canary's p99 over stable's p99 tolerated (above 0)
     */
    public record Verdict(Duration window, int minCompared, Percent maxMismatch, double maxLatencyRatio) {
        public Verdict {
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(maxMismatch, "maxMismatch");
        }
    }
}
