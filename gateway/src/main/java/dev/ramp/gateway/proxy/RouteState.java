package dev.ramp.gateway.proxy;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A route's live state that outlives config snapshots: one instance per route name, handed from each
 * snapshot's {@link LiveRoute} to the next, so a revert can never be lost to a reload that copies state
 * while it lands. The guard service changes it through {@link #revert()} and {@link #resume()}; the data
 * path only reads it.
 *
 * <p>A route with a rollout plan also carries the plan's weight here ({@link #planWeight(int)}), set by the
 * plan on the guard thread; while it is set the data path uses it instead of the configured weight. A revert
 * still wins: a reverted route serves 0 % whatever the plan says.
 */
public final class RouteState {
    /** {@link #planWeight()} when the route has no plan: the configured weight applies. */
    public static final int NO_PLAN = -1;

    private final AtomicBoolean reverted = new AtomicBoolean();
    /** The plan's canary share in basis points, or {@link #NO_PLAN}; one volatile read per request. */
    private volatile int planWeight = NO_PLAN;

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

    /** The rollout plan's weight in basis points, or {@link #NO_PLAN}. */
    public int planWeight() {
        return planWeight;
    }

    /** Sets the plan's weight (0..10000), or {@link #NO_PLAN} when the route has no plan (any more). */
    public void planWeight(int basisPoints) {
        if (basisPoints != NO_PLAN && (basisPoints < 0 || basisPoints > 10_000)) {
            throw new IllegalArgumentException("basisPoints: " + basisPoints + " (expected: -1 or 0..10000)");
        }
        planWeight = basisPoints;
    }

    /**
     * The canary share new requests get, in basis points: 0 when reverted, else the plan's weight when a
     * plan is set, else {@code configured}. Allocation-free: read per request.
     */
    public int effectiveBasisPoints(int configured) {
        if (reverted.get()) {
            return 0;
        }
        int plan = planWeight;
        return plan == NO_PLAN ? configured : plan;
    }
}
