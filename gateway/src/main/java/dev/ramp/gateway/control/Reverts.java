package dev.ramp.gateway.control;

import dev.ramp.gateway.admin.GuardJson;
import dev.ramp.gateway.config.GuardSettings;
import dev.ramp.gateway.config.RouteConfig;
import dev.ramp.gateway.config.Upstream;
import dev.ramp.gateway.events.CanaryReplaced;
import dev.ramp.gateway.events.EventLog;
import dev.ramp.gateway.events.LatchCorrupt;
import dev.ramp.gateway.events.LatchLifted;
import dev.ramp.gateway.events.LatchWriteFailed;
import dev.ramp.gateway.events.ReplicaChange;
import dev.ramp.gateway.events.Resumed;
import dev.ramp.gateway.events.Reverted;
import dev.ramp.gateway.guard.Evidence;
import dev.ramp.gateway.guard.GuardThresholds;
import dev.ramp.gateway.guard.RevertReason;
import dev.ramp.gateway.guard.RouteGuard;
import dev.ramp.gateway.guard.WindowSnapshot;
import dev.ramp.gateway.metrics.RampMetrics;
import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.proxy.RouteState;
import dev.ramp.gateway.proxy.RoutingSnapshot;
import dev.ramp.gateway.state.AlertCause;
import dev.ramp.gateway.state.Latch;
import dev.ramp.gateway.state.LatchHold;
import dev.ramp.gateway.state.LatchRead;
import dev.ramp.gateway.state.LatchStore;
import dev.ramp.gateway.state.ReplicaSync;
import dev.ramp.gateway.state.RouteRecord;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reverts, resumes and their latches: takes a canary out of traffic at once when its guard trips or an
 * operator hits the kill switch, then persists a latch in {@code state-dir/<route>.json}. Latches are read
 * back when a route is first seen and hold until the canary's url or version changes or an operator
 * resumes; a corrupt latch keeps the route reverted (fail safe). Every revert, resume and latch change is
 * an event, a WARN/INFO log line and (reverts) {@code ramp_reverts_total}.
 *
 * <p>With replicas ({@link ReplicaSync}), every revert and resume is shared, and the other replicas' newer
 * ones are followed ({@link #applyShared}) for the canary this replica serves; a revert taken from another
 * replica is latched here too, but counted in {@code ramp_reverts_total} only where it was made.
 *
 * <p>Config syncs and the kill switch are serialised on this object. Latch file I/O runs on the guard
 * thread, in order, so a resume's delete always follows the revert's write.
 */
final class Reverts {
    private static final Logger log = LoggerFactory.getLogger(Reverts.class);

    private final LatchStore latches;
    private final RampMetrics metrics;
    private final EventLog events;
    private final LongSupplier nanoClock;
    private final Clock clock;
    private final Executor fileIo;
    private final Map<String, LatchHold> holds = new ConcurrentHashMap<>();
    /** The snapshot being served: a revert reports the route's config in it. */
    private final Supplier<RoutingSnapshot> current;
    private final GuardSlots guards;
    /** The other replicas ({@link ReplicaSync#LOCAL} when there are none). */
    private final ReplicaSync shared;

    Reverts(LatchStore latches, RampMetrics metrics, EventLog events, LongSupplier nanoClock, Clock clock,
            Executor fileIo, GuardSlots guards, Supplier<RoutingSnapshot> current, ReplicaSync shared) {
        this.shared = shared;
        this.current = current;
        this.guards = guards;
        this.latches = latches;
        this.metrics = metrics;
        this.events = events;
        this.nanoClock = nanoClock;
        this.clock = clock;
        this.fileIo = fileIo;
    }

    /** What holds {@code route} reverted, or null. */
    LatchHold hold(String route) {
        return holds.get(route);
    }

    /**
     * Brings guards and latches in line with a snapshot before it is published: reads the latch of a route
     * seen for the first time, lifts a latch whose canary changed, and (re)creates guards whose thresholds
     * or canary changed.
     *
     * @param previous the routes of the snapshot being replaced, by name (empty at start-up)
     */
    synchronized void sync(RoutingSnapshot next, Map<String, LiveRoute> previous) {
        for (LiveRoute route : next.routes()) {
            String name = route.name();
            RouteConfig rc = route.config();
            RouteState state = route.state();
            LiveRoute old = previous.get(name);
            boolean canaryChanged = old != null && !old.config().canary().sameService(rc.canary());
            if (old == null) {
                restoreLatch(name, rc, state);
            } else if (canaryChanged && state.reverted()) {
                LatchHold hold = holds.remove(name);
                state.resume();
                deleteLatch(name);
                String was = hold != null && hold.latch() != null ? hold.latch().canaryVersion() : "unknown";
                events.record(new CanaryReplaced(name, was, rc.canary().version(), rc.canary().url().toString()));
                log.info("route={} version={} revert lifted: the config has a new canary ({} at {})", name,
                        rc.canary().version(), rc.canary().version(), rc.canary().url());
            }
            if (old == null || canaryChanged) {
                // A route new here, or with a new canary, follows what the other replicas decided for it.
                shared.latest(name).ifPresent(r -> fileIo.execute(follow(r, route)));
            }
            if (!rc.guard().enabled()) {
                guards.set(name, null);
                continue;
            }
            GuardThresholds thresholds = thresholds(rc.guard());
            RouteGuard guard = guards.get(name);
            if (guard == null || canaryChanged || !guard.thresholds().equals(thresholds)) {
                // The route's config of the moment it trips, not of when its guard was made: a weight-only
                // edit keeps the guard, and the revert must report the weight in force.
                RouteGuard fresh = new RouteGuard(name, thresholds, nanoClock,
                        (reason, evidence) -> reverted(state, configNow(name, rc), reason, evidence));
                if (state.reverted()) {
                    fresh.markReverted(reasonOf(holds.get(name)));
                }
                guards.set(name, fresh);
            }
        }
        // A removed route's latch file stays: re-adding the same canary keeps it reverted.
        previous.keySet().stream().filter(n -> next.route(n) == null).forEach(holds::remove);
    }

    private void restoreLatch(String name, RouteConfig rc, RouteState state) {
        LatchRead read = latches.read(name);
        if (read instanceof LatchRead.Present p) {
            Latch latch = p.latch();
            if (latch.canaryUrl().equals(rc.canary().url().toString()) && latch.canaryVersion().equals(rc.canary().version())) {
                state.revert();
                holds.put(name, LatchHold.of(latch, latches.file(name)));
                shared.restored(latch);
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
            state.revert();
            holds.put(name, LatchHold.corrupt(name, latches.file(name), c.problem()));
            events.record(new LatchCorrupt(name, latches.file(name), c.problem()));
            log.warn("route={} version={} latch file {} is corrupt, keeping the route reverted (fail safe): {}", name,
                    rc.canary().version(), latches.file(name), c.problem());
        }
    }

    /**
     * Another replica's newer record for a route: applied on the guard thread, after the latch file work
     * queued before it.
     */
    void applyShared(RouteRecord record) {
        fileIo.execute(() -> {
            RoutingSnapshot snap = current.get();
            LiveRoute route = snap == null ? null : snap.route(record.route());
            if (route != null) {
                follow(record, route).run();
            }
        });
    }

    /**
     * Brings {@code route} in line with a shared record about its current canary (a record about another
     * canary changes nothing); returns the latch file work, to run on the guard thread.
     */
    private synchronized Runnable follow(RouteRecord record, LiveRoute route) {
        String name = route.name();
        RouteConfig rc = route.config();
        if (!record.about(rc.canary().url().toString(), rc.canary().version())) {
            return () -> {};
        }
        RouteState state = route.state();
        RouteGuard guard = guards.get(name);
        String from = record.stamp().replica();
        if (record.reverted()) {
            if (!state.revert()) {
                return () -> {}; // reverted here already (its own guard, or the same revert heard twice)
            }
            Latch latch = record.latch();
            LatchHold hold = LatchHold.of(latch, latches.file(name));
            holds.put(name, hold);
            if (guard != null) {
                guard.markReverted(reasonOf(hold));
            }
            events.record(new ReplicaChange(name, true, latch.canaryVersion(), latch.reason(), from));
            log.warn("route={} version={} canary reverted by replica {}, reason={}: effective 0% here too", name,
                    latch.canaryVersion(), from.isEmpty() ? "(unknown)" : from, latch.reason());
            return () -> writeLatch(latch);
        }
        LatchHold hold = holds.get(name);
        if (!state.reverted() || hold != null && hold.latch() == null) {
            // Not reverted; or held by a corrupt latch file, which only an operator here lifts (fail safe).
            return () -> {};
        }
        holds.remove(name);
        if (guard != null) {
            guard.reset();
        }
        state.resume();
        events.record(new ReplicaChange(name, false, rc.canary().version(), null, from));
        log.info("route={} version={} resumed by replica {} at weight {}", name, rc.canary().version(),
                from.isEmpty() ? "(unknown)" : from, rc.weight());
        return () -> deleteLatchNow(name);
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
                g.consecutiveFailuresToRevert(), g.minFailures(), g.minLatencyDifference(),
                g.falseRevertBudget().ratio(), g.budgetHorizon());
    }

    /** Route {@code name}'s config in the snapshot being served; {@code fallback} before there is one. */
    private RouteConfig configNow(String name, RouteConfig fallback) {
        RoutingSnapshot snap = current.get();
        LiveRoute route = snap == null ? null : snap.route(name);
        return route == null ? fallback : route.config();
    }

    /** The guard tripped (or {@link #revert} was called): out of traffic now, latch on disk next. */
    private void reverted(RouteState state, RouteConfig rc, RevertReason reason, Evidence evidence) {
        reverted(state, rc, reason.tag(), reason.tag(), evidence, null);
    }

    /**
     * Out of traffic now, latch on disk next.
     *
     * @param tag the latch's reason, e.g. {@code error_rate} or {@code alert:CanaryErrorBudgetBurn}
     * @param metricReason the {@code reason} tag of {@code ramp_reverts_total}: bounded, so {@code alert} for
     *                     every alert
     * @param alert the alert that reverted the route, or null
     */
    private void reverted(RouteState state, RouteConfig rc, String tag, String metricReason, Evidence evidence,
                          AlertCause alert) {
        state.revert(); // effective weight 0 % for every new request from here on
        Upstream canary = rc.canary();
        // The latch keeps the evidence in the admin API's shape, so the file and the status agree.
        Latch latch = new Latch(rc.name(), tag, clock.instant(), canary.url().toString(), canary.version(),
                GuardJson.evidence(evidence), alert);
        holds.put(rc.name(), LatchHold.of(latch, latches.file(rc.name())));
        shared.reverted(latch);
        metrics.revert(rc.name(), metricReason);
        events.record(new Reverted(latch));
        log.warn("route={} version={} canary reverted, reason={}, configured weight {} -> effective 0%; evidence {}{}",
                rc.name(), canary.version(), tag, rc.weight(), latch.evidence().encode(),
                alert == null ? "" : "; alert labels " + alert.labels());
        fileIo.execute(() -> writeLatch(latch));
    }

    /** Writes a latch file; on the guard thread. */
    private void writeLatch(Latch latch) {
        try {
            latches.write(latch);
        } catch (IOException | RuntimeException e) {
            // The route is reverted in memory either way; only a restart would forget it.
            log.error("route={} version={} could not write latch {}: {}", latch.route(), latch.canaryVersion(),
                    latches.file(latch.route()), e.toString());
            events.record(new LatchWriteFailed(latch.route(), latches.file(latch.route()), e.getMessage()));
        }
    }

    private void deleteLatch(String name) {
        fileIo.execute(() -> deleteLatchNow(name));
    }

    /** Deletes a latch file; on the guard thread. */
    private void deleteLatchNow(String name) {
        try {
            latches.delete(name);
        } catch (IOException | RuntimeException e) {
            log.error("route={} could not delete latch {}: {}", name, latches.file(name), e.toString());
        }
    }

    /** Completes once every file operation queued so far is done. */
    Future<Void> flushed() {
        Promise<Void> p = Promise.promise();
        fileIo.execute(p::complete);
        return p.future();
    }

    /** Takes {@code route}'s canary out of traffic by an operator; true if it was not reverted before. */
    synchronized boolean revert(LiveRoute route) {
        RouteState state = route.state();
        RouteGuard guard = guards.get(route.name());
        // With a guard, its revert notifies reverted(...) like any trip of the guard.
        boolean changed = guard != null && guard.revert(RevertReason.MANUAL);
        if (!changed && !state.reverted()) {
            // No guard on this route (or one already tripped and since re-armed): revert here.
            reverted(state, route.config(), RevertReason.MANUAL,
                    Evidence.untested(WindowSnapshot.EMPTY, WindowSnapshot.EMPTY));
            changed = true;
        }
        return changed;
    }

    /**
     * Takes {@code route}'s canary out of traffic because {@code alert} fires; true if it was not reverted
     * before. An alert repeated while the route stays reverted changes nothing, so Alertmanager's repeats
     * make one revert and one event.
     */
    synchronized boolean revertForAlert(LiveRoute route, AlertCause alert) {
        RouteState state = route.state();
        if (state.reverted()) {
            return false;
        }
        RouteGuard guard = guards.get(route.name());
        // The guard goes quiet as after its own revert. If it tripped just now, its revert stands alone; a
        // guard that claims a revert the route does not have must not keep the alert from pulling the switch.
        if (guard != null && !guard.markReverted(RevertReason.MANUAL) && state.reverted()) {
            return false;
        }
        reverted(state, route.config(), alert.reason(), "alert",
                Evidence.untested(WindowSnapshot.EMPTY, WindowSnapshot.EMPTY), alert);
        return true;
    }

    /** Puts {@code route}'s canary back at its configured weight; true if it was reverted. */
    synchronized boolean resume(LiveRoute route) {
        String name = route.name();
        RouteState state = route.state();
        boolean changed = state.reverted();
        LatchHold hold = holds.remove(name);
        RouteGuard guard = guards.get(name);
        if (guard != null) {
            guard.reset();
        }
        state.resume();
        deleteLatch(name);
        // Shared even when this replica was not reverted: another may be, and the operator means all.
        shared.resumed(name, route.config().canary().url().toString(), route.config().canary().version());
        if (changed) {
            events.record(new Resumed(name, route.config().canary().version(), route.config().weight(), hold));
            log.info("route={} version={} resumed by an operator at weight {}", name,
                    route.config().canary().version(), route.config().weight());
        }
        return changed;
    }
}
