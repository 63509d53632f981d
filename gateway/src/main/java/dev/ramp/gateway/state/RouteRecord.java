package dev.ramp.gateway.state;

import static java.util.Objects.requireNonNull;

/**
 * A route's revert state as replicas share it: reverted (with the latch that says why) or resumed, for one
 * canary. A record for another canary than the one a replica serves changes nothing there: a new canary
 * lifts a revert on each replica as its config changes.
 *
 * <p>Invariants: every field but {@code latch} is non-null; {@code latch} is non-null exactly when
 * {@code reverted}, and then names the same route and canary.
 *
 * @param route the route
 * @param stamp when and by whom it was written; the later stamp wins
 * @param reverted reverted (true) or resumed (false)
 * @param canaryUrl the canary it is about
 * @param canaryVersion the canary it is about
 * @param latch the revert's latch, or null for a resume
 */
public record RouteRecord(String route, Stamp stamp, boolean reverted, String canaryUrl, String canaryVersion,
                          Latch latch) {

    public RouteRecord {
        requireNonNull(route, "route");
        requireNonNull(stamp, "stamp");
        requireNonNull(canaryUrl, "canaryUrl");
        requireNonNull(canaryVersion, "canaryVersion");
        if (reverted != (latch != null)) {
            throw new IllegalArgumentException("latch: " + latch + " (expected: one exactly when reverted)");
        }
        if (latch != null && (!latch.route().equals(route) || !latch.canaryUrl().equals(canaryUrl)
                              || !latch.canaryVersion().equals(canaryVersion))) {
            throw new IllegalArgumentException("latch: " + latch + " (expected: route " + route + ", canary "
                                               + canaryVersion + " at " + canaryUrl + ")");
        }
    }

    /** A revert. */
    public static RouteRecord reverted(Latch latch, Stamp stamp) {
        return new RouteRecord(latch.route(), stamp, true, latch.canaryUrl(), latch.canaryVersion(), latch);
    }

    /** A resume. */
    public static RouteRecord resumed(String route, String canaryUrl, String canaryVersion, Stamp stamp) {
        return new RouteRecord(route, stamp, false, canaryUrl, canaryVersion, null);
    }

    /** Whether it is about the canary at {@code url} with {@code version}. */
    public boolean about(String url, String version) {
        return canaryUrl.equals(url) && canaryVersion.equals(version);
    }
}
