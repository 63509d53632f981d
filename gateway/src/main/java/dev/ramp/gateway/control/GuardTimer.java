package dev.ramp.gateway.control;

import dev.ramp.gateway.guard.RouteGuard;
import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.proxy.RoutingSnapshot;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guard's evaluation loop: evaluates each route's {@link RouteGuard} every {@code evaluate-every} on the
 * guard thread (never an event loop) and logs canary breaker transitions. It wakes when the next route is
 * due rather than polling: on a gateway pinned to few cores each wake-up takes the core from an event loop.
 *
 * <p>Only the guard thread calls {@link #tick()}; the due times are kept per route name and forgotten when a
 * route leaves the config.
 */
final class GuardTimer {
    private static final Logger log = LoggerFactory.getLogger(GuardTimer.class);

    private final ScheduledExecutorService executor;
    private final Supplier<RoutingSnapshot> current;
    private final LongSupplier nanoClock;
    /** Each route's current guard, by name. */
    private final Function<String, RouteGuard> guards;
    private final Map<String, Long> nextDue = new ConcurrentHashMap<>();
    /** Last seen state of each canary breaker, to log transitions (only the guard thread touches it). */
    private final Map<CircuitBreaker, CircuitBreaker.State> breakerStates = new WeakHashMap<>();
    /** Runs after each pass of evaluations (the rollout plans, which read the fresh verdicts). */
    private final Runnable afterEvaluations;

    GuardTimer(ScheduledExecutorService executor, Supplier<RoutingSnapshot> current, LongSupplier nanoClock,
               Function<String, RouteGuard> guards, Runnable afterEvaluations) {
        this.afterEvaluations = afterEvaluations;
        this.guards = guards;
        this.executor = executor;
        this.current = current;
        this.nanoClock = nanoClock;
    }

    /** Schedules the first tick; each tick schedules the next until the executor shuts down. */
    void start() {
        schedule(GuardService.TICK_MILLIS);
    }

    private void schedule(long millis) {
        try {
            executor.schedule(() -> {
                long next = GuardService.MAX_TICK_MILLIS;
                try {
                    next = tick();
                } catch (RuntimeException e) {
                    log.error("guard tick failed", e);
                } finally {
                    schedule(next);
                }
            }, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // the service was closed: no more ticks
        }
    }

    /** Drops the due time of a route that left the config. */
    void forget(String route) {
        nextDue.remove(route);
    }

    /**
     * Evaluates the routes that are due and logs breaker transitions.
     *
     * @return milliseconds until the next route is due, within {@link GuardService#TICK_MILLIS}..{@link
     *         GuardService#MAX_TICK_MILLIS}
     */
    long tick() {
        RoutingSnapshot snap = current.get();
        if (snap == null) {
            return GuardService.MAX_TICK_MILLIS;
        }
        long now = nanoClock.getAsLong();
        long wait = TimeUnit.MILLISECONDS.toNanos(GuardService.MAX_TICK_MILLIS);
        for (LiveRoute route : snap.routes()) {
            logBreakerTransition(route);
            RouteGuard guard = guards.apply(route.name());
            if (guard == null) {
                continue;
            }
            Long due = nextDue.get(route.name());
            if (due != null && now - due < 0) {
                wait = Math.min(wait, due - now);
                continue;
            }
            long every = guard.thresholds().evaluateEvery().toNanos();
            nextDue.put(route.name(), now + every);
            wait = Math.min(wait, every);
            try {
                guard.evaluate();
            } catch (RuntimeException e) {
                log.error("route={} guard evaluation failed", route.name(), e);
            }
        }
        try {
            afterEvaluations.run();
        } catch (RuntimeException e) {
            log.error("rollout pass failed", e);
        }
        // Round up to whole milliseconds so that the route is due when the timer fires.
        return Math.max(GuardService.TICK_MILLIS, (wait + 999_999) / 1_000_000);
    }

    private void logBreakerTransition(LiveRoute route) {
        dev.ramp.gateway.proxy.BreakerSlot slot = route.breakerSlot();
        CircuitBreaker breaker = slot == null ? null : slot.ifMade(); // never made: never used, nothing to log
        if (breaker == null) {
            return;
        }
        CircuitBreaker.State state = breaker.getState();
        CircuitBreaker.State before = breakerStates.put(breaker, state);
        if (before != null && before != state) {
            log.info("route={} version={} canary circuit breaker {} -> {}", route.name(),
                    route.config().canary().version(), before, state);
        }
    }
}
