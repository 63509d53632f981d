package dev.ramp.gateway.control;

import dev.ramp.gateway.admin.GuardJson;
import dev.ramp.gateway.admin.GuardView;
import dev.ramp.gateway.admin.RouteControl;
import dev.ramp.gateway.admin.RouteStatusSource;
import dev.ramp.gateway.admin.UnknownRouteException;
import dev.ramp.gateway.config.GuardSettings;
import dev.ramp.gateway.config.RouteConfig;
import dev.ramp.gateway.config.Upstream;
import dev.ramp.gateway.events.CanaryReplaced;
import dev.ramp.gateway.events.EventLog;
import dev.ramp.gateway.events.LatchCorrupt;
import dev.ramp.gateway.events.LatchLifted;
import dev.ramp.gateway.events.LatchWriteFailed;
import dev.ramp.gateway.events.Resumed;
import dev.ramp.gateway.events.Reverted;
import dev.ramp.gateway.guard.Evidence;
import dev.ramp.gateway.guard.GuardThresholds;
import dev.ramp.gateway.guard.Outcome;
import dev.ramp.gateway.guard.RevertReason;
import dev.ramp.gateway.guard.Role;
import dev.ramp.gateway.guard.RouteGuard;
import dev.ramp.gateway.guard.Verdict;
import dev.ramp.gateway.guard.WindowSnapshot;
import dev.ramp.gateway.metrics.RampMetrics;
import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.proxy.ProxyObserver;
import dev.ramp.gateway.proxy.RouteState;
import dev.ramp.gateway.proxy.RoutingSnapshot;
import dev.ramp.gateway.routing.Version;
import dev.ramp.gateway.state.Latch;
import dev.ramp.gateway.state.LatchHold;
import dev.ramp.gateway.state.LatchRead;
import dev.ramp.gateway.state.LatchStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the guard to work on live routes (DESIGN.md "Guard"): feeds each route's {@link RouteGuard} from the
 * data path, evaluates it every {@code evaluate-every} on its own thread (never an event loop), and when it
 * trips — or an operator hits the kill switch — takes the canary out of traffic at once, then persists a
 * latch in {@code state-dir/<route>.json}. Latches are read back on start and hold until the canary's url or
 * version changes or an operator resumes; a corrupt latch keeps the route reverted (fail safe). Every revert,
 * resume and latch change is an event, a WARN/INFO log line and (reverts) {@code ramp_reverts_total}.
 *
 * <p>It also answers the admin API: the status of each route is the guard's own last verdict and windows,
 * so the API shows exactly the numbers the guard judges on.
 */
public final class GuardService implements ProxyObserver, RouteStatusSource, RouteControl, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GuardService.class);
    /** The shortest wait between ticks (evaluate-every's lower bound). */
    static final long TICK_MILLIS = 100;
    /** The longest: breaker transitions are logged, and reloaded cadences take effect, within this. */
    static final long MAX_TICK_MILLIS = 1000;

    private final LatchStore latches;
    private final RampMetrics metrics;
    private final EventLog events;
    private final LongSupplier nanoClock;
    private final Clock clock;
    /** One thread for evaluations and latch file I/O, in order: a resume's delete follows a revert's write. */
    private final ScheduledExecutorService executor;
    private final Map<String, LatchHold> holds = new ConcurrentHashMap<>();
    private final Map<String, Long> nextDue = new ConcurrentHashMap<>();
    /** Last seen state of each canary breaker, to log transitions (only the sweep thread touches it). */
    private final Map<io.github.resilience4j.circuitbreaker.CircuitBreaker, io.github.resilience4j.circuitbreaker.CircuitBreaker.State>
            breakerStates = new java.util.WeakHashMap<>();
    private volatile RoutingSnapshot current;

    public GuardService(LatchStore latches, RampMetrics metrics, EventLog events, LongSupplier nanoClock, Clock clock) {
        this.latches = latches;
        this.metrics = metrics;
        this.events = events;
        this.nanoClock = nanoClock;
        this.clock = clock;
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "ramp-guard");
            t.setDaemon(true);
            return t;
        });
        e.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // close() need not wait for the next tick
        this.executor = e;
    }

    /**
     * Starts the evaluation timer. It wakes when the next route is due rather than polling: on a gateway
     * pinned to few cores each wake-up takes the core from an event loop.
     */
    public GuardService start() {
        scheduleTick(TICK_MILLIS);
        return this;
    }

    private void scheduleTick(long millis) {
        try {
            executor.schedule(() -> {
                long next = MAX_TICK_MILLIS;
                try {
                    next = tick();
                } catch (RuntimeException e) {
                    log.error("guard tick failed", e);
                } finally {
                    scheduleTick(next);
                }
            }, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // close() was called: no more ticks
        }
    }

    // ------------------------------------------------------------------ config snapshots

    /**
     * Brings guards and latches in line with a snapshot before it is published (start-up and every reload):
     * reads the latch of a route seen for the first time, lifts a latch whose canary changed, and (re)creates
     * guards whose thresholds or canary changed.
     *
     * @param previous the routes of the snapshot being replaced, by name (empty at start-up)
     */
    public synchronized void sync(RoutingSnapshot next, Map<String, LiveRoute> previous) {
        for (LiveRoute route : next.routes()) {
            String name = route.name();
            RouteConfig rc = route.config();
            RouteState state = route.state();
            LiveRoute old = previous.get(name);
            boolean canaryChanged = old != null && !old.config().canary().equals(rc.canary());
            if (old == null) {
                restoreLatch(name, rc, state);
            } else if (canaryChanged && state.reverted()) {
                LatchHold hold = holds.remove(name);
                state.reverted(false);
                deleteLatch(name);
                String was = hold != null && hold.latch() != null ? hold.latch().canaryVersion() : "unknown";
                events.record(new CanaryReplaced(name, was, rc.canary().version(), rc.canary().url().toString()));
                log.info("route={} version={} revert lifted: the config has a new canary ({} at {})", name,
                        rc.canary().version(), rc.canary().version(), rc.canary().url());
            }
            if (!rc.guard().enabled()) {
                state.guard(null);
                continue;
            }
            GuardThresholds thresholds = thresholds(rc.guard());
            RouteGuard guard = state.guard();
            if (guard == null || canaryChanged || !guard.thresholds().equals(thresholds)) {
                RouteGuard fresh = new RouteGuard(name, thresholds, nanoClock,
                        (reason, evidence) -> reverted(state, rc, reason, evidence));
                if (state.reverted()) {
                    LatchHold hold = holds.get(name);
                    fresh.markReverted(reasonOf(hold));
                }
                state.guard(fresh);
            }
        }
        previous.keySet().stream().filter(n -> next.route(n) == null).forEach(n -> {
            holds.remove(n); // the latch file stays: re-adding the same canary keeps it reverted
            nextDue.remove(n);
        });
        current = next;
    }

    private void restoreLatch(String name, RouteConfig rc, RouteState state) {
        LatchRead read = latches.read(name);
        if (read instanceof LatchRead.Present p) {
            Latch latch = p.latch();
            if (latch.canaryUrl().equals(rc.canary().url().toString()) && latch.canaryVersion().equals(rc.canary().version())) {
                state.reverted(true);
                holds.put(name, LatchHold.of(latch, latches.file(name)));
                log.warn("route={} version={} stays reverted: latch from {} (reason {}); resume with POST "
                         + "/api/routes/{}/resume or deploy a new canary", name, latch.canaryVersion(), latch.at(),
                        latch.reason(), name);
            } else {
                deleteLatch(name);
                events.record(new LatchLifted(name, latch.canaryVersion(), latch.canaryUrl(), rc.canary().version(),
                        rc.canary().url().toString()));
                log.info("route={} version={} latch for canary {} lifted: the config has a new canary", name,
                        rc.canary().version(), latch.canaryVersion());
            }
        } else if (read instanceof LatchRead.Corrupt c) {
            state.reverted(true);
            holds.put(name, LatchHold.corrupt(name, latches.file(name), c.problem()));
            events.record(new LatchCorrupt(name, latches.file(name), c.problem()));
            log.warn("route={} version={} latch file {} is corrupt, keeping the route reverted (fail safe): {}", name,
                    rc.canary().version(), latches.file(name), c.problem());
        }
    }

    /** The reason a held route was reverted; a latch from a newer version with an unknown reason: manual. */
    private static RevertReason reasonOf(LatchHold hold) {
        if (hold == null || hold.latch() == null) {
            return RevertReason.MANUAL;
        }
        try {
            return RevertReason.ofTag(hold.latch().reason());
        } catch (IllegalArgumentException e) {
            return RevertReason.MANUAL;
        }
    }

    static GuardThresholds thresholds(GuardSettings g) {
        return new GuardThresholds(g.evaluateEvery(), g.window(), g.minRequests(), g.maxErrorRate().ratio(),
                g.maxErrorRateIncrease().ratio(), g.maxP99(), g.maxLatencyIncrease(), g.breachesToRevert(),
                g.consecutiveFailuresToRevert(), GuardThresholds.DEFAULT_SIGNIFICANCE);
    }

    // ------------------------------------------------------------------ data path

    @Override
    public void onAttempt(LiveRoute route, Version version, Outcome outcome, long nanos) {
        if (route == null) {
            return;
        }
        RouteGuard guard = route.state().guard();
        if (guard != null) {
            guard.record(version == Version.CANARY ? Role.CANARY : Role.STABLE, outcome, nanos);
        }
    }

    // ------------------------------------------------------------------ evaluation

    /**
     * Evaluates the routes that are due and logs breaker transitions.
     *
     * @return milliseconds until the next route is due, within {@link #TICK_MILLIS}..{@link #MAX_TICK_MILLIS}
     */
    long tick() {
        RoutingSnapshot snap = current;
        if (snap == null) {
            return MAX_TICK_MILLIS;
        }
        long now = nanoClock.getAsLong();
        long wait = TimeUnit.MILLISECONDS.toNanos(MAX_TICK_MILLIS);
        for (LiveRoute route : snap.routes()) {
            logBreakerTransition(route);
            RouteGuard guard = route.state().guard();
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
        // Round up to whole milliseconds so that the route is due when the timer fires.
        return Math.max(TICK_MILLIS, (wait + 999_999) / 1_000_000);
    }

    private void logBreakerTransition(LiveRoute route) {
        var breaker = route.canaryBreaker();
        if (breaker == null) {
            return;
        }
        var state = breaker.getState();
        var before = breakerStates.put(breaker, state);
        if (before != null && before != state) {
            log.info("route={} version={} canary circuit breaker {} -> {}", route.name(),
                    route.config().canary().version(), before, state);
        }
    }

    /** The guard tripped (or {@link #revert} was called): out of traffic now, latch on disk next. */
    private void reverted(RouteState state, RouteConfig rc, RevertReason reason, Evidence evidence) {
        state.reverted(true); // effective weight 0 % for every new request from here on
        Upstream canary = rc.canary();
        // The latch keeps the evidence in the admin API's shape, so the file and the status agree.
        Latch latch = new Latch(rc.name(), reason.tag(), clock.instant(), canary.url().toString(), canary.version(),
                GuardJson.evidence(evidence));
        holds.put(rc.name(), LatchHold.of(latch, latches.file(rc.name())));
        metrics.revert(rc.name(), reason.tag());
        events.record(new Reverted(latch));
        log.warn("route={} version={} canary reverted, reason={}, configured weight {} -> effective 0%; evidence {}",
                rc.name(), canary.version(), reason.tag(), rc.weight(), latch.evidence().encode());
        executor.execute(() -> {
            try {
                latches.write(latch);
            } catch (IOException | RuntimeException e) {
                // The route is reverted in memory either way; only a restart would forget it.
                log.error("route={} version={} could not write latch {}: {}", rc.name(), canary.version(),
                        latches.file(rc.name()), e.toString());
                events.record(new LatchWriteFailed(rc.name(), latches.file(rc.name()), e.getMessage()));
            }
        });
    }

    private void deleteLatch(String name) {
        executor.execute(() -> {
            try {
                latches.delete(name);
            } catch (IOException | RuntimeException e) {
                log.error("route={} could not delete latch {}: {}", name, latches.file(name), e.toString());
            }
        });
    }

    /** Completes once every file operation queued so far is done. */
    private Future<Void> flushed() {
        Promise<Void> p = Promise.promise();
        executor.execute(p::complete);
        return p.future();
    }

    // ------------------------------------------------------------------ admin: kill switch

    @Override
    public Future<Boolean> revert(String name, String reason) {
        LiveRoute route = routeOrNull(name);
        if (route == null) {
            return Future.failedFuture(new UnknownRouteException(name));
        }
        RouteState state = route.state();
        boolean changed;
        synchronized (this) {
            RouteGuard guard = state.guard();
            // With a guard, its revert notifies reverted(...) like any trip of the guard.
            changed = guard != null && guard.revert(RevertReason.MANUAL);
            if (!changed && !state.reverted()) {
                // No guard on this route (or one already tripped and since re-armed): revert here.
                reverted(state, route.config(), RevertReason.MANUAL,
                        Evidence.untested(WindowSnapshot.EMPTY, WindowSnapshot.EMPTY));
                changed = true;
            }
        }
        boolean didChange = changed;
        return flushed().map(v -> didChange);
    }

    @Override
    public Future<Boolean> resume(String name) {
        LiveRoute route = routeOrNull(name);
        if (route == null) {
            return Future.failedFuture(new UnknownRouteException(name));
        }
        RouteState state = route.state();
        boolean changed;
        synchronized (this) {
            changed = state.reverted();
            LatchHold hold = holds.remove(name);
            RouteGuard guard = state.guard();
            if (guard != null) {
                guard.reset();
            }
            state.reverted(false);
            deleteLatch(name);
            if (changed) {
                events.record(new Resumed(name, route.config().canary().version(), route.config().weight(), hold));
                log.info("route={} version={} resumed by an operator at weight {}", name,
                        route.config().canary().version(), route.config().weight());
            }
        }
        return flushed().map(v -> changed);
    }

    private LiveRoute routeOrNull(String name) {
        RoutingSnapshot snap = current;
        return snap == null ? null : snap.route(name);
    }

    // ------------------------------------------------------------------ admin: status

    @Override
    public GuardView guardStatus(LiveRoute route) {
        RouteState state = route.state();
        RouteGuard guard = state.guard();
        LatchHold hold = state.reverted() ? holds.get(route.name()) : null;
        if (guard == null) {
            return GuardView.disabled(state.reverted() ? "reverted" : "guard_disabled", hold);
        }
        Verdict verdict = guard.lastVerdict();
        String tag = state.reverted() ? "reverted" : verdict.state().tag();
        return new GuardView(tag, hold, verdict, guard.consecutiveBreaches(), guard.thresholds().breachesToRevert());
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "GuardService[" + Objects.toString(latches.stateDir()) + "]";
    }
}
