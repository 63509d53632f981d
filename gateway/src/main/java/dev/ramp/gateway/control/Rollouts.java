package dev.ramp.gateway.control;

import dev.ramp.gateway.admin.RolloutView;
import dev.ramp.gateway.config.RouteConfig;
import dev.ramp.gateway.events.EventLog;
import dev.ramp.gateway.events.RolloutEvent;
import dev.ramp.gateway.metrics.RolloutMetrics;
import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.proxy.RouteState;
import dev.ramp.gateway.proxy.RoutingSnapshot;
import dev.ramp.gateway.rollout.GateAnswer;
import dev.ramp.gateway.rollout.Health;
import dev.ramp.gateway.rollout.Plan;
import dev.ramp.gateway.rollout.Progress;
import dev.ramp.gateway.rollout.ProgressRead;
import dev.ramp.gateway.rollout.ProgressStore;
import dev.ramp.gateway.rollout.RolloutConflict;
import dev.ramp.gateway.rollout.RolloutMachine;
import dev.ramp.gateway.rollout.RolloutState;
import dev.ramp.gateway.rollout.Transition;
import dev.ramp.gateway.rollout.Transition.Change;
import dev.ramp.gateway.state.ReplicaSync;
import dev.ramp.gateway.state.RolloutJson;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each route's rollout plan ({@link RolloutMachine}) on the guard thread: every tick it feeds the plan the
 * time, the canary requests counted on its step and the guard's verdict, asks the gates when the plan says
 * so, and performs each transition: the plan's weight into the route's {@link RouteState} (what the data path
 * serves), an event, a log line, the metrics and the saved progress ({@link ProgressStore}).
 *
 * <p>Progress is read back when a route is first seen (at start-up before the listener opens), so a restart
 * goes on at the same weight, state and step start. Every change of a plan happens under this object's lock;
 * the status reads an immutable copy without it.
 */
final class Rollouts {
    private static final Logger log = LoggerFactory.getLogger(Rollouts.class);
    /** How long a replica that stops renewing keeps stepping the plans; another takes over after it. */
    static final Duration LEASE_TTL = Duration.ofSeconds(10);
    /** A plan saves its request count at most this often between transitions. */
    static final Duration SAVE_EVERY = Duration.ofSeconds(5);
    /** Gates that held are asked again after the step's time, but at least this often. */
    static final Duration MAX_GATE_RETRY = Duration.ofSeconds(30);

    private final ProgressStore store;
    private final RolloutMetrics metrics;
    private final EventLog events;
    private final Clock clock;
    private final Executor guardThread;
    private final GuardSlots guards;
    private final Gates gates;
    /** Where plans are shared with other replicas; only the holder of {@link #lease} steps them. */
    private final ReplicaSync shared;
    private ReplicaSync.Lease lease;
    /** What the other replicas served on each plan's step, so the stepping replica judges all the traffic. */
    private final ReplicaShares shares;
    private final Map<String, RoutePlan> plans = new ConcurrentHashMap<>();

    Rollouts(ProgressStore store, RolloutMetrics metrics, EventLog events, Clock clock, Executor guardThread,
             GuardSlots guards, Gates gates) {
        this(store, metrics, events, clock, guardThread, guards, gates, ReplicaSync.LOCAL);
    }

    /**
     * @param shared the other replicas: the progress of every plan is published to them and theirs followed;
     *               plans step only on the replica holding the {@code rollouts} lease ({@link #LEASE_TTL})
     */
    Rollouts(ProgressStore store, RolloutMetrics metrics, EventLog events, Clock clock, Executor guardThread,
             GuardSlots guards, Gates gates, ReplicaSync shared) {
        this.shared = shared;
        this.shares = new ReplicaShares(shared, clock);
        shared.listen(new ReplicaSync.Listener() {
            @Override
            public void route(dev.ramp.gateway.state.RouteRecord record) {}

            @Override
            public void progress(String key, io.vertx.core.json.JsonObject progress) {
                if (ReplicaShares.isShare(key)) {
                    shares.heard(key, progress);
                } else {
                    guardThread.execute(() -> follow(key, progress));
                }
            }
        });
        this.store = store;
        this.metrics = metrics;
        this.events = events;
        this.clock = clock;
        this.guardThread = guardThread;
        this.guards = guards;
        this.gates = gates;
    }


    /**
     * Brings plans in line with a snapshot before it is published: reads the saved progress of a plan seen for
     * the first time, restarts a plan whose canary changed, re-derives the step of an edited plan from its
     * weight, drops plans whose rollout block is gone, and sets each plan's weight on its route.
     */
    synchronized void sync(RoutingSnapshot next, Map<String, LiveRoute> previous) {
        Instant now = clock.instant();
        for (LiveRoute route : next.routes()) {
            String name = route.name();
            RouteConfig rc = route.config();
            RoutePlan rp = plans.get(name);
            if (rc.rollout() == null) {
                if (rp != null) {
                    plans.remove(name);
                    route.state().planWeight(RouteState.NO_PLAN);
                    metrics.remove(name);
                    delete(name);
                    log.info("route={} version={} rollout plan removed from the config: the configured weight {} "
                             + "applies", name, rc.canary().version(), rc.weight());
                } else {
                    route.state().planWeight(RouteState.NO_PLAN);
                }
                continue;
            }
            String url = rc.canary().url().toString();
            String version = rc.canary().version();
            Transition t;
            long counter = guards.canaryAttempts(name);
            if (rp == null) {
                rp = new RoutePlan(name);
                rp.base = counter;
                t = restore(name, rc, url, version, now);
                plans.put(name, rp);
            } else {
                Progress current = rp.progress.withRequests(requests(rp, counter));
                t = RolloutMachine.reconcile(current, rc.weight().basisPoints(), url, version, now);
            }
            rp.config = rc;
            rp.mirror = route.mirror();
            rp.plan = RoutePlan.plan(rc.rollout());
            rp.state = route.state();
            if (t.change() == Change.STARTED && rp.progress != null) {
                rp.gateRound++; // answers for the old canary's gates are void
                rp.gatesAsked = false;
            }
            perform(rp, t, now, false, counter);
        }
        previous.keySet().stream().filter(n -> next.route(n) == null).forEach(n -> {
            // A removed route's progress file stays: re-adding the same canary goes on where it was.
            if (plans.remove(n) != null) {
                metrics.remove(n);
            }
        });
    }

    /** The progress a plan seen for the first time goes on with: saved, new, or aborted (unreadable record). */
    private Transition restore(String name, RouteConfig rc, String url, String version, Instant now) {
        ProgressRead read = store.read(name);
        int start = rc.weight().basisPoints();
        if (read instanceof ProgressRead.Present p) {
            Transition t = RolloutMachine.reconcile(p.progress(), start, url, version, now);
            if (t.change() == Change.NONE) {
                Progress g = t.progress();
                log.info("route={} version={} rollout goes on where it was: {} at {} since {}", name, version,
                        g.state().tag(), RolloutMachine.percent(g.weight()), g.stepStartedAt());
            }
            return t;
        }
        Progress fresh = RolloutMachine.start(start, url, version, now);
        if (read instanceof ProgressRead.Corrupt c) {
            // Its step is unknown: guessing could move users back or forward. Fail safe: no canary traffic.
            return RolloutMachine.abort(fresh, "progress record " + store.location(name) + " is unreadable ("
                    + c.problem() + "); delete it and restart, or deploy a new canary");
        }
        return new Transition(fresh, Change.STARTED);
    }

    /**
     * One pass over every plan; on the guard thread, after the guard's evaluations. With replicas, only the
     * holder of the {@code rollouts} lease steps plans (one replica at a time; a dead holder's lease expires
     * and another takes over from the progress it published); the others follow its progress.
     */
    synchronized void tick() {
        Instant now = clock.instant();
        if (plans.isEmpty()) {
            return;
        }
        if (lease == null) {
            lease = shared.lease("rollouts", LEASE_TTL);
        }
        for (RoutePlan rp : plans.values()) {
            shares.publish(rp.route, rp.progress.canaryVersion(), rp.progress.weight(),
                    Math.max(0, guards.canaryAttempts(rp.route) - rp.ownBase), rp.health(guards));
        }
        if (!lease.held()) {
            return;
        }
        for (RoutePlan rp : plans.values()) {
            try {
                long counter = guards.canaryAttempts(rp.route);
                Health health = shares.combine(rp.route, rp.progress.canaryVersion(), rp.progress.weight(), rp.health(guards));
                Transition t = RolloutMachine.tick(rp.plan, rp.progress, requests(rp, counter), health, now);
                perform(rp, t, now, false, counter);
                if (rp.progress.state() == RolloutState.WAITING_GATE && !rp.gatesAsked
                    && !now.isBefore(rp.gatesAgainAt)) {
                    askGates(rp);
                }
            } catch (RuntimeException e) {
                log.error("route={} rollout tick failed", rp.route, e);
            }
        }
    }

    /**
     * Canary requests on the plan's step as of the attempt counter's value {@code counter}: those counted, this
     * replica's since, and the other replicas' since they were last counted.
     */
    private long requests(RoutePlan rp, long counter) {
        return rp.progress.requests() + Math.max(0, counter - rp.base) + Math.max(0, others(rp) - rp.othersCounted);
    }

    private long others(RoutePlan rp) {
        return shares.others(rp.route, rp.progress.canaryVersion(), rp.progress.weight());
    }

    private void askGates(RoutePlan rp) {
        int round = ++rp.gateRound;
        rp.gatesAsked = true;
        Duration timeout = rp.config.rollout().gateTimeout();
        log.info("route={} version={} asking {} gate(s) before stepping up from {}", rp.route, rp.config.canary()
                .version(), rp.plan.gatesBefore(rp.progress.weight()), RolloutMachine.percent(rp.progress.weight()));
        MirrorGate.ask(rp, gates, timeout).onComplete(ar -> guardThread.execute(() -> {
            synchronized (this) {
                if (plans.get(rp.route) != rp || rp.gateRound != round) {
                    return; // the plan moved on (paused, restarted, removed) while the gates were asked
                }
                rp.gatesAsked = false;
                Instant now = clock.instant();
                Duration retry = rp.plan.stepEvery().compareTo(MAX_GATE_RETRY) < 0 ? rp.plan.stepEvery() : MAX_GATE_RETRY;
                rp.gatesAgainAt = now.plus(retry);
                List<GateAnswer> answers = ar.succeeded() ? ar.result()
                        : List.of(new GateAnswer("(gates)", false, String.valueOf(ar.cause())));
                long counter = guards.canaryAttempts(rp.route);
                Transition t = RolloutMachine.gatesAnswered(rp.plan, rp.progress.withRequests(requests(rp, counter)),
                        answers, now);
                perform(rp, t, now, false, counter);
                if (t.change() == Change.GATE_HELD) {
                    answers.stream().filter(a -> !a.passed()).findFirst().ifPresent(a -> events.record(
                            new RolloutEvent.GateHeld(rp.route, rp.config.canary().version(), t.progress().weight(),
                                    a.url(), a.detail())));
                }
            }
        }));
    }

    /** Applies an operator's command on the guard thread; the result says whether the plan changed. */
    synchronized boolean command(String route, String command) {
        RoutePlan rp = plans.get(route);
        if (rp == null) {
            throw new RolloutConflict("route " + route + " has no rollout plan (add a rollout block to its config)");
        }
        Instant now = clock.instant();
        long counter = guards.canaryAttempts(route);
        Progress p = rp.progress.withRequests(requests(rp, counter));
        Transition t = switch (command) {
            case "pause" -> RolloutMachine.pause(p);
            case "continue" -> RolloutMachine.resume(p);
            case "next" -> RolloutMachine.next(rp.plan, p, now);
            case "abort" -> RolloutMachine.abort(p, "aborted by an operator");
            default -> throw new IllegalArgumentException("command: " + command
                    + " (expected: pause, continue, next or abort)");
        };
        perform(rp, t, now, true, counter);
        return t.change() != Change.NONE;
    }

    /**
     * Performs a transition: weight, bookkeeping, event, log, metrics, saved progress.
     *
     * @param counter the route's canary-attempt counter when the transition's inputs were read; the new
     *                progress's request count is as of it
     */
    private void perform(RoutePlan rp, Transition t, Instant now, boolean byOperator, long counter) {
        Progress before = rp.progress;
        long countedBefore = before == null ? 0 : requests(rp, counter); // rp.progress is still before here
        Progress after = t.progress();
        RouteConfig rc = rp.config;
        rp.base = counter;
        if (before == null || before.weight() != after.weight()) {
            rp.ownBase = counter; // this replica's count for the new step starts here
        }
        rp.progress = after;
        rp.othersCounted = others(rp);
        rp.state.planWeight(after.effectiveWeight());
        metrics.update(rp.route, after.effectiveWeight() / (double) Plan.FULL, after.state().tag());
        if (t.change() == Change.ABORTED) {
            rp.gateRound++; // answers to gates asked before are void
        }
        RolloutLog.record(events, t.change(), rc, rp.plan, before, after, countedBefore,
                t.change() == Change.STEPPED ? rp.guardTag(guards) : null, byOperator);
        save(rp, t.change() != Change.NONE || before == null || !java.util.Objects.equals(before.reason(),
                rp.progress.reason()) || before.state() != rp.progress.state(), now);
    }

    /** Saves the progress on a change, or its request count at most every {@link #SAVE_EVERY}. */
    private void save(RoutePlan rp, boolean changed, Instant now) {
        Progress p = rp.progress;
        boolean countMoved = p.requests() != rp.savedRequests && !now.isBefore(rp.savedAt.plus(SAVE_EVERY));
        if (!changed && !countMoved) {
            return;
        }
        rp.savedAt = now;
        rp.savedRequests = p.requests();
        shared.progress(rp.route, RolloutJson.toJson(rp.route, p)); // stamped at once, sent in the background
        guardThread.execute(() -> {
            try {
                store.write(rp.route, p);
            } catch (IOException | RuntimeException e) {
                // The plan goes on in memory; only a restart would lose the steps since the last save.
                log.error("route={} could not save rollout progress to {}: {}", rp.route, store.location(rp.route),
                        e.toString());
            }
        });
    }

    /**
     * Another replica's newer progress for {@code route}: this replica serves its weight and saves it, so it
     * goes on from there if it takes the lease, or restarts. Progress of another canary (a replica that has
     * not reloaded yet, or one that has) is ignored, as is a lower weight that is not an abort. No events: the
     * replica that stepped recorded them.
     */
    private synchronized void follow(String route, io.vertx.core.json.JsonObject json) {
        RoutePlan rp = plans.get(route);
        Progress p;
        try {
            p = RolloutJson.fromJson(json);
        } catch (RuntimeException e) {
            log.warn("route={} ignored another replica's rollout progress: {}", route, e.getMessage());
            return;
        }
        if (rp == null || rp.progress == null || !p.canaryUrl().equals(rp.progress.canaryUrl())
            || !p.canaryVersion().equals(rp.progress.canaryVersion()) || p.equals(rp.progress)) {
            return;
        }
        // Weights only go up, whoever published: a replica that just started publishes its fresh plan at the
        // start weight, which must not move the others back. An abort always travels.
        if (p.state() != RolloutState.ABORTED && p.weight() < rp.progress.weight()) {
            return;
        }
        long counter = guards.canaryAttempts(route);
        rp.base = counter;
        if (p.weight() != rp.progress.weight()) {
            rp.ownBase = counter;
        }
        rp.progress = p;
        rp.othersCounted = others(rp);
        rp.gatesAsked = false;
        rp.gateRound++;
        rp.state.planWeight(p.effectiveWeight());
        metrics.update(route, p.effectiveWeight() / (double) Plan.FULL, p.state().tag());
        log.info("route={} version={} rollout follows another replica: {} at {}", route, p.canaryVersion(),
                p.state().tag(), RolloutMachine.percent(p.weight()));
        rp.savedAt = clock.instant();
        rp.savedRequests = p.requests();
        try {
            store.write(route, p);
        } catch (IOException | RuntimeException e) {
            log.error("route={} could not save rollout progress to {}: {}", route, store.location(route), e.toString());
        }
    }

    private void delete(String route) {
        guardThread.execute(() -> {
            try {
                store.delete(route);
            } catch (IOException | RuntimeException e) {
                log.error("route={} could not delete rollout progress {}: {}", route, store.location(route), e.toString());
            }
        });
    }

    /** The route's plan for the status API; null without one. Lock-free: reads the plan's immutable copies. */
    RolloutView view(String route) {
        RoutePlan rp = plans.get(route);
        if (rp == null) {
            return null;
        }
        Plan plan = rp.plan;
        Progress p = rp.progress;
        long requests = requests(rp, guards.canaryAttempts(route));
        // (base and progress are read without the lock: a count off by the requests of one tick at worst)
        return new RolloutView(p.state().tag(), plan.stepOf(p.weight()),
                plan.steps().stream().map(RolloutMachine::percent).toList(),
                RolloutMachine.percent(p.effectiveWeight()), p.stepStartedAt(), RolloutMachine.nextStepAt(plan, p),
                p.reason(), requests, plan.minRequests(),
                p.state() == RolloutState.READY_TO_PROMOTE ? RolloutLog.promote(rp.config) : null);
    }
}
