package dev.ramp.gateway.guard;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guard of one route: records every attempt to stable and canary, judges the two windows on a timer
 * and reverts the canary, through its {@link RevertListener}, when
 * <ul>
 *   <li>{@code breachesToRevert} evaluations in a row are {@link Verdict.State#BREACHING}; the reason is
 *       the first breached rule of the last verdict; or</li>
 *   <li>the fast path: the last {@code consecutiveFailuresToRevert} canary attempts all failed and all
 *       fell within one {@code window}. The time bound keeps "never revert on insufficient data" true at
 *       a trickle of traffic (ten failures spread over minutes say little), while a total failure at any
 *       real rate reverts at once (ten failures at 100 req/s take 0.1 s).</li>
 * </ul>
 *
 * <p>Invariants: the listener fires at most once between {@link #reset()}s; after a revert the guard keeps
 * recording and judging (the status API shows the windows) but counts no breaches and fires nothing.
 * An evaluation that is not breaching, {@code INSUFFICIENT_DATA} included, ends a run of breaches: a
 * revert needs that many consecutive evaluations on sufficient data.
 *
 * <p>Threading: {@link #record} is called concurrently from event loops and takes only short locks (the
 * window slot, and the failure streak on canary failures); {@link #evaluate()} is meant for one timer at a
 * time; all methods are thread-safe. Whether the guard is enabled at all is the caller's business.
 */
public final class RouteGuard {

    private static final Logger logger = LoggerFactory.getLogger(RouteGuard.class);

    private final String route;
    private final GuardThresholds thresholds;
    private final LongSupplier nanoClock;
    private final RevertListener listener;
    private final SlidingWindow stable;
    private final SlidingWindow canary;
    private final long windowNanos;

    /** Why the canary is reverted; null while the guard is armed. Set by compare-and-set, so it fires once. */
    private final AtomicReference<RevertReason> revertReason = new AtomicReference<>();

    private final Object failureLock = new Object();
    /** Times of the current streak's failures, a ring indexed by streak count; guarded by failureLock. */
    private final long[] failureTimes;
    /** Canary failures in a row; written under failureLock, read without it to keep successes lock-free. */
    private volatile long failureStreak;

    // Guarded by this.
    private int consecutiveBreaches;
    private long generation;

    private volatile Verdict lastVerdict;

    /**
     * A guard for {@code route}, judging with {@code thresholds}, reading time from {@code nanoClock}
     * (e.g. {@code System::nanoTime}) and reverting through {@code listener}.
     */
    public RouteGuard(String route, GuardThresholds thresholds, LongSupplier nanoClock,
                      RevertListener listener) {
        this.route = requireNonNull(route, "route");
        this.thresholds = requireNonNull(thresholds, "thresholds");
        this.nanoClock = requireNonNull(nanoClock, "nanoClock");
        this.listener = requireNonNull(listener, "listener");
        stable = new SlidingWindow(thresholds.window(), nanoClock);
        canary = new SlidingWindow(thresholds.window(), nanoClock);
        windowNanos = thresholds.window().toNanos();
        failureTimes = new long[thresholds.consecutiveFailuresToRevert()];
        lastVerdict = Judge.evaluate(WindowSnapshot.EMPTY, WindowSnapshot.EMPTY, thresholds);
    }

    /** The route this guard watches. */
    public String route() {
        return route;
    }

    /** The thresholds this guard judges with. */
    public GuardThresholds thresholds() {
        return thresholds;
    }

    /** Records one attempt to {@code role} that ended with {@code outcome} after {@code latencyNanos}. */
    public void record(Role role, Outcome outcome, long latencyNanos) {
        requireNonNull(role, "role");
        requireNonNull(outcome, "outcome");
        if (role == Role.STABLE) {
            stable.record(outcome, latencyNanos);
            return;
        }
        canary.record(outcome, latencyNanos);
        if (!outcome.isError()) {
            if (failureStreak != 0) {
                synchronized (failureLock) {
                    failureStreak = 0;
                }
            }
            return;
        }
        if (revertReason.get() != null) {
            return;
        }
        if (canaryFailed()) {
            revert(RevertReason.CONSECUTIVE_FAILURES, evidenceNow(),
                   thresholds.consecutiveFailuresToRevert() + " canary failures in a row");
        }
    }

    /** Counts a canary failure; whether the streak now reaches the fast-path limit within one window. */
    private boolean canaryFailed() {
        final long now = nanoClock.getAsLong();
        final int limit = failureTimes.length;
        synchronized (failureLock) {
            final long streak = failureStreak;
            failureTimes[(int) (streak % limit)] = now;
            failureStreak = streak + 1;
            if (streak + 1 < limit) {
                return false;
            }
            // After the increment the slot at (streak + 1) % limit holds the oldest of the last `limit`.
            final long oldest = failureTimes[(int) ((streak + 1) % limit)];
            return now - oldest < windowNanos;
        }
    }

    /**
     * Judges both windows as of now, counts consecutive breaches and reverts the canary when
     * {@code breachesToRevert} is reached.
     */
    public Evaluation evaluate() {
        final long startGeneration;
        synchronized (this) {
            startGeneration = generation;
        }
        final Verdict verdict = Judge.evaluate(stable.snapshot(), canary.snapshot(), thresholds);
        final Verdict previous;
        final int breaches;
        RevertReason trigger = null;
        synchronized (this) {
            if (generation != startGeneration) {
                // reset() ran while judging: this verdict is about the old canary, drop it.
                return new Evaluation(lastVerdict, consecutiveBreaches, false,
                                      Optional.ofNullable(revertReason.get()));
            }
            previous = lastVerdict;
            lastVerdict = verdict;
            if (revertReason.get() != null) {
                consecutiveBreaches = 0;
            } else if (verdict.state() == Verdict.State.BREACHING) {
                consecutiveBreaches++;
                if (consecutiveBreaches >= thresholds.breachesToRevert()) {
                    trigger = verdict.breaches().get(0).reason();
                }
            } else {
                consecutiveBreaches = 0;
            }
            breaches = consecutiveBreaches;
        }
        if (previous.state() != verdict.state()) {
            logger.info("Route {}: guard verdict {} -> {}{}", route, previous.state().tag(), verdict.state().tag(),
                        verdict.breaches().isEmpty() ? "" : ": " + describe(verdict));
        }
        final boolean triggered = trigger != null && revert(trigger, verdict.evidence(), describe(verdict));
        return new Evaluation(verdict, breaches, triggered, Optional.ofNullable(revertReason.get()));
    }

    /**
     * Reverts the canary for {@code reason} (e.g. {@link RevertReason#MANUAL} from the kill switch),
     * notifying the listener, unless it is already reverted.
     *
     * @return whether this call reverted it
     */
    public boolean revert(RevertReason reason) {
        requireNonNull(reason, "reason");
        return revert(reason, evidenceNow(), "requested");
    }

    /**
     * Puts the guard in the reverted state for {@code reason} without notifying the listener: for a route
     * whose latch was read back at startup, or reverted from outside (an alert), so that the guard stays
     * quiet as after its own revert. Returns false when the guard had already reverted.
     */
    public boolean markReverted(RevertReason reason) {
        requireNonNull(reason, "reason");
        return revertReason.compareAndSet(null, reason);
    }

    /**
     * Re-arms the guard for a fresh canary (resume, or a new canary url or version): forgets the canary's
     * window, the failure streak, the breach count and the revert. Stable's window is kept: it still
     * describes stable.
     */
    public void reset() {
        synchronized (this) {
            generation++;
            canary.clear();
            synchronized (failureLock) {
                failureStreak = 0;
            }
            consecutiveBreaches = 0;
            revertReason.set(null);
            lastVerdict = Judge.evaluate(stable.snapshot(), canary.snapshot(), thresholds);
        }
        logger.info("Route {}: guard re-armed", route);
    }

    /** The verdict of the latest evaluation (before the first one: insufficient data on empty windows). */
    public Verdict lastVerdict() {
        return lastVerdict;
    }

    /** Breaching evaluations in a row so far. */
    public synchronized int consecutiveBreaches() {
        return consecutiveBreaches;
    }

    /** Why the canary is reverted; empty while the guard is armed. */
    public Optional<RevertReason> revertReason() {
        return Optional.ofNullable(revertReason.get());
    }

    /** The window of {@code role} as of now. */
    public WindowSnapshot snapshot(Role role) {
        return requireNonNull(role, "role") == Role.STABLE ? stable.snapshot() : canary.snapshot();
    }

    private Evidence evidenceNow() {
        return Evidence.untested(stable.snapshot(), canary.snapshot());
    }

    private boolean revert(RevertReason reason, Evidence evidence, String detail) {
        if (!revertReason.compareAndSet(null, reason)) {
            return false;
        }
        logger.warn("Route {}: reverting canary, reason {}: {}; stable {}, canary {}", route, reason.tag(), detail,
                    evidence.stable(), evidence.canary());
        try {
            listener.onRevert(reason, evidence);
        } catch (Exception e) {
            // The revert stands: the listener's failure must not re-arm a guard that decided to revert.
            logger.error("Route {}: revert listener failed for reason {}", route, reason.tag(), e);
        }
        return true;
    }

    private static String describe(Verdict verdict) {
        return verdict.breaches().stream().map(Breach::message).collect(Collectors.joining("; "));
    }
}
