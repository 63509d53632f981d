package dev.ramp.gateway.proxy;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A route's live state that outlives config snapshots: one instance per route name, handed from each
 * snapshot's {@link LiveRoute} to the next, so a revert can never be lost to a reload that copies state
 * while it lands. The guard service changes it through {@link #revert()} and {@link #resume()}; the data
 * path only reads it.
 */
public final class RouteState {
    private final AtomicBoolean reverted = new AtomicBoolean();

    /** Whether the canary is out of traffic (latched revert): new requests see 0 % at once. */
    public boolean reverted() {
        return reverted.get();
    }

    /** Takes the canary out of traffic; true when this call did it (it was serving). */
    public boolean revert() {
        return reverted.compareAndSet(false, true);
    }

    /** Puts the canary back into traffic; true when this call did it (it was reverted). */
    public boolean resume() {
        return reverted.compareAndSet(true, false);
    }
}
