package dev.ramp.gateway.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The meters registered for one route or one route version, so they can all be removed together when the
 * route disappears or the version changes. After {@link #retire()} nothing new is registered: a request
 * still in flight on an old snapshot gets an unregistered stand-in, so a removed series never comes back.
 */
final class MeterScope {
    private final MeterRegistry registry;
    private final List<Meter> registered = new ArrayList<>(); // guarded by this
    private boolean retired; // guarded by this

    MeterScope(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers a meter (slow path, once per series), or returns {@code standIn} once retired. */
    synchronized <M extends Meter> M register(Supplier<M> register, Supplier<M> standIn) {
        if (retired) {
            return standIn.get();
        }
        M m = register.get();
        registered.add(m);
        return m;
    }

    /** Removes every meter of this scope from the registry; idempotent. */
    synchronized void retire() {
        retired = true;
        registered.forEach(registry::remove);
        registered.clear();
    }
}
