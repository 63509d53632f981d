package dev.ramp.gateway.cluster;

import java.time.Duration;

/**
 * The waits between reconnection attempts while Redis is unreachable: 100 ms, doubling up to {@code max},
 * and back to the start after a success. Pure: the caller schedules the waits (tests read them without
 * waiting).
 *
 * <p>Not thread-safe: used on the cluster's Vert.x context only.
 */
final class Backoff {
    static final Duration FIRST = Duration.ofMillis(100);

    private final long maxMillis;
    private long nextMillis = FIRST.toMillis();
    private int failures;

    Backoff(Duration max) {
        this.maxMillis = Math.max(FIRST.toMillis(), max.toMillis());
    }

    /** The wait before the next attempt; each call doubles the one after, up to the maximum. */
    long nextDelayMillis() {
        long d = nextMillis;
        nextMillis = Math.min(maxMillis, nextMillis * 2);
        failures++;
        return d;
    }

    /** Attempts failed since the last success. */
    int failures() {
        return failures;
    }

    /** Connected: the next outage starts from the first wait again. */
    void reset() {
        nextMillis = FIRST.toMillis();
        failures = 0;
    }
}
