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
import io.vertx.core.Future;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Puts the guard to work on live routes (docs/architecture.md): feeds each route's {@link RouteGuard} from
 * the data path, evaluates it on its own thread ({@link GuardTimer}), and reverts, resumes and latches
 * through {@link Reverts}. It also answers the admin API: the status of each route is the guard's own last
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
    private final GuardSlots guards = new GuardSlots();
    private volatile RoutingSnapshot current;

    public GuardService(LatchStore latches, RampMetrics metrics, EventLog events, LongSupplier nanoClock, Clock clock) {
        this.latches = latches;
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "ramp-guard");
            t.setDaemon(true);
            return t;
        });
        e.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // close() need not wait for the next tick
        this.executor = e;
        this.reverts = new Reverts(latches, metrics, events, nanoClock, clock, e, guards, () -> current);
        this.timer = new GuardTimer(e, () -> current, nanoClock, guards::get);
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
