package dev.ramp.gateway.control;

import dev.ramp.gateway.guard.Outcome;
import dev.ramp.gateway.guard.Role;
import dev.ramp.gateway.guard.RouteGuard;
import dev.ramp.gateway.proxy.RouteObserver;
import dev.ramp.gateway.routing.Version;
import java.util.concurrent.atomic.LongAdder;

/**
 * One route's current guard as the data path sees it: the route's observer for the guard, re-pointed by the
 * guard service when it (re)creates or drops the guard, so snapshots need not be rebuilt for it. It also
 * counts the route's canary attempts for its rollout plan (with or without a guard), a contention-free add.
 */
final class GuardSlot implements RouteObserver {
    /** Null while the route's guard is disabled. */
    private volatile RouteGuard guard;
    private final LongAdder canaryAttempts = new LongAdder();

    RouteGuard guard() {
        return guard;
    }

    void guard(RouteGuard value) {
        guard = value;
    }

    /** Canary attempts since the slot was made (the route first seen); only ever grows. */
    long canaryAttempts() {
        return canaryAttempts.sum();
    }

    @Override
    public void onAttempt(Version version, Outcome outcome, long nanos) {
        if (version == Version.CANARY) {
            canaryAttempts.increment();
        }
        RouteGuard g = guard;
        if (g != null) {
            g.record(version == Version.CANARY ? Role.CANARY : Role.STABLE, outcome, nanos);
        }
    }
}
