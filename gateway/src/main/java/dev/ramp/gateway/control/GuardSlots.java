package dev.ramp.gateway.control;

import dev.ramp.gateway.guard.RouteGuard;
import dev.ramp.gateway.proxy.RouteObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each route's current guard, by route name. A route's {@link GuardSlot} is also its observer for the guard:
 * snapshots carry the slot, and the guard service re-points it when it makes or drops the route's guard, so
 * a new guard needs no new snapshot.
 */
final class GuardSlots {
    private final Map<String, GuardSlot> slots = new ConcurrentHashMap<>();

    /** The observer that records into route {@code name}'s current guard. */
    RouteObserver observer(String name) {
        return slot(name);
    }

    /** Route {@code name}'s guard; null while it has none (disabled, or not synced yet). */
    RouteGuard get(String name) {
        GuardSlot s = slots.get(name);
        return s == null ? null : s.guard();
    }

    /** Route {@code name}'s canary attempts so far (a count that only grows while the route stays configured). */
    long canaryAttempts(String name) {
        return slot(name).canaryAttempts();
    }

    void set(String name, RouteGuard guard) {
        slot(name).guard(guard);
    }

    /** The route is gone from the config. */
    void remove(String name) {
        slots.remove(name);
    }

    private GuardSlot slot(String name) {
        return slots.computeIfAbsent(name, n -> new GuardSlot());
    }
}
