package dev.ramp.gateway.cluster;

import java.time.Clock;

/**
 * Stamps for shared records: the wall clock in milliseconds, but always later than every stamp this
 * replica issued or saw ({@link #observe}). A change made after seeing another replica's therefore wins
 * over it even when this replica's clock is behind; see {@link dev.ramp.gateway.state.Stamp}.
 *
 * <p>Thread-safe; {@link #next()} is strictly increasing.
 */
final class HybridClock {
    private final Clock clock;
    private long last; // guarded by this

    HybridClock(Clock clock) {
        this.clock = clock;
    }

    /** A time later than every one issued or observed so far, and at least the wall clock. */
    synchronized long next() {
        last = Math.max(clock.millis(), last + 1);
        return last;
    }

    /** Another replica's stamp was seen: later stamps from here are after it. */
    synchronized void observe(long time) {
        last = Math.max(last, time);
    }
}
