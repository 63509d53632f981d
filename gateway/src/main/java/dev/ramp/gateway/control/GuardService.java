package dev.ramp.gateway.control;

import dev.ramp.gateway.admin.GuardView;
import dev.ramp.gateway.admin.RouteControl;
import dev.ramp.gateway.admin.RouteStatusSource;
import dev.ramp.gateway.admin.UnknownRouteException;
import dev.ramp.gateway.events.EventLog;
import dev.ramp.gateway.guard.RouteGuard;
import dev.ramp.gateway.guard.Verdict;
import dev.ramp.gateway.metrics.RampMetrics;
import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.proxy.RouteObserver;
import dev.ramp.gateway.proxy.RouteState;
import dev.ramp.gateway.proxy.RoutingSnapshot;
import dev.ramp.gateway.state.AlertCause;
import dev.ramp.gateway.state.LatchHold;
import dev.ramp.gateway.state.LatchStore;
import dev.ramp.gateway.state.ReplicaSync;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import dev.ramp.gateway.admin.RolloutView;
import dev.ramp.gateway.rollout.GateAnswer;
import dev.ramp.gateway.rollout.ProgressStore;
import dev.ramp.gateway.state.RolloutFiles;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Puts the guard to work on live routes (docs/architecture.md): feeds each route's {@link RouteGuard} from
 * the data path, evaluates it on its own thread ({@link GuardTimer}), reverts, resumes and latches
 * through {@link Reverts}, and steps rollout plans after each pass ({@link Rollouts}). It also answers the admin API: the status of each route is the guard's own last
 * verdict and windows, so the API shows exactly the numbers the guard judges on.
 *
 * <p>One thread, {@code ramp-guard}, runs the evaluations and the latch file I/O, in order.
 */
public final class GuardService implements RouteStatusSource, RouteControl, AutoCloseable {
    /** The shortest wait between ticks (evaluate-every's lower bound). */
    static final long TICK_MILLIS = 100;
    /** The longest: breaker transitions are logged, and reloaded cadences take effect, within this. */
    static final long MAX_TICK_MILLIS = 1000;

    private final LatchStore latches;
    private final ScheduledThreadPoolExecutor executor;
    private final Reverts reverts;
    private final GuardTimer timer;
    private final Rollouts rollouts;
    private final GuardSlots guards = new GuardSlots();
    private volatile RoutingSnapshot current;

    public GuardService(LatchStore latches, RampMetrics metrics, EventLog events, LongSupplier nanoClock, Clock clock) {
        this(latches, new RolloutFiles(latches.stateDir()), null, metrics, events, nanoClock, clock, ReplicaSync.LOCAL);
    }

    /** A single replica's guard service with rollout plans ({@link #GuardService(LatchStore, ProgressStore, Vertx,
     * RampMetrics, EventLog, LongSupplier, Clock, ReplicaSync)} with nothing shared). */
    public GuardService(LatchStore latches, ProgressStore progress, Vertx vertx, RampMetrics metrics, EventLog events,
                        LongSupplier nanoClock, Clock clock) {
        this(latches, progress, vertx, metrics, events, nanoClock, clock, ReplicaSync.LOCAL);
    }

    /**
     * @param progress where rollout plans keep their progress
     * @param vertx    the Vert.x whose HTTP client asks rollout gates; null: gates hold every step (tests)
     * @param shared   where reverts and resumes are shared with other replicas (and theirs followed);
     *                 {@link ReplicaSync#LOCAL} for one replica
     */
    public GuardService(LatchStore latches, ProgressStore progress, Vertx vertx, RampMetrics metrics, EventLog events,
                        LongSupplier nanoClock, Clock clock, ReplicaSync shared) {
        this.latches = latches;
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "ramp-guard");
            t.setDaemon(true);
            return t;
        });
        e.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // close() need not wait for the next tick
        this.executor = e;
        this.reverts = new Reverts(latches, metrics, events, nanoClock, clock, e, guards, () -> current, shared);
        shared.listen(reverts::applyShared);
        Gates gates = vertx != null ? new HttpGates(vertx) : (urls, timeout) -> Future.succeededFuture(
                urls.stream().map(u -> new GateAnswer(u.toString(), false, "no HTTP client to ask gates")).toList());
        this.rollouts = new Rollouts(progress, metrics.rollouts(), events, clock, e, guards, gates, shared);
        this.timer = new GuardTimer(e, () -> current, nanoClock, guards::get, rollouts::tick);
        // A revert aborts the route's plan at once rather than on the next pass (the canary is already out of
        // traffic either way; the plan's state, event and metrics follow within this hand-off).
        events.listen(entry -> {
            if (entry.event() instanceof dev.ramp.gateway.events.Reverted) {
                try {
                    e.execute(rollouts::tick);
                } catch (java.util.concurrent.RejectedExecutionException closed) {
                    // shutting down
                }
            }
        });
    }

    /** Starts the evaluation timer. */
    public GuardService start() {
        timer.start();
        return this;
    }

    /**
     * Brings guards and latches in line with a snapshot before it is published (start-up and every reload).
     *
     * @param previous the routes of the snapshot being replaced, by name (empty at start-up)
     */
    public void sync(RoutingSnapshot next, Map<String, LiveRoute> previous) {
        reverts.sync(next, previous);
        // After the latches: a plan restored on a reverted route aborts on its first tick.
        rollouts.sync(next, previous);
        previous.keySet().stream().filter(n -> next.route(n) == null).forEach(n -> {
            timer.forget(n);
            guards.remove(n);
        });
        current = next;
    }

    /**
     * The observer that feeds route {@code name}'s guard, for the snapshot being built: it records into the
     * route's current guard, whichever {@link #sync} made (none while the guard is disabled).
     */
    public RouteObserver observerFor(String name) {
        return guards.observer(name);
    }

    /** Completes once every revert, resume and latch file operation handed to the guard thread so far is done. */
    public Future<Void> settled() {
        return reverts.flushed();
    }

    /** One evaluation pass; see {@link GuardTimer#tick()}. */
    long tick() {
        return timer.tick();
    }

    @Override
    public Future<Boolean> revert(String name, String reason) {
        LiveRoute route = routeOrNull(name);
        if (route == null) {
            return Future.failedFuture(new UnknownRouteException(name));
        }
        boolean changed = reverts.revert(route);
        return reverts.flushed().map(v -> changed);
    }

    @Override
    public Future<Boolean> revertForAlert(String name, AlertCause alert) {
        LiveRoute route = routeOrNull(name);
        if (route == null) {
            return Future.failedFuture(new UnknownRouteException(name));
        }
        boolean changed = reverts.revertForAlert(route, alert);
        return reverts.flushed().map(v -> changed);
    }

    @Override
    public Future<Boolean> resume(String name) {
        LiveRoute route = routeOrNull(name);
        if (route == null) {
            return Future.failedFuture(new UnknownRouteException(name));
        }
        boolean changed = reverts.resume(route);
        return reverts.flushed().map(v -> changed);
    }

    @Override
    public Future<Boolean> rollout(String name, String command) {
        if (routeOrNull(name) == null) {
            return Future.failedFuture(new UnknownRouteException(name));
        }
        // On the guard thread, in order with the ticks and the progress writes; never on the caller's loop.
        Promise<Boolean> result = Promise.promise();
        try {
            executor.execute(() -> {
                try {
                    result.complete(rollouts.command(name, command));
                } catch (RuntimeException e) {
                    result.fail(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            result.fail(new IllegalStateException("the gateway is shutting down"));
        }
        // Answer once the new progress is saved (queued on the same thread after the command).
        return result.future().compose(changed -> reverts.flushed().map(v -> changed));
    }

    @Override
    public RolloutView rollout(LiveRoute route) {
        return rollouts.view(route.name());
    }

    /** One rollout pass (tests). */
    void rolloutTick() {
        rollouts.tick();
    }

    private LiveRoute routeOrNull(String name) {
        RoutingSnapshot snap = current;
        return snap == null ? null : snap.route(name);
    }

    @Override
    public GuardView guardStatus(LiveRoute route) {
        RouteState state = route.state();
        RouteGuard guard = guards.get(route.name());
        LatchHold hold = state.reverted() ? reverts.hold(route.name()) : null;
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
        return "GuardService[" + latches.stateDir() + "]";
    }
}
