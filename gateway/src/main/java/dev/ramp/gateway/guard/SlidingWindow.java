package dev.ramp.gateway.guard;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.function.LongSupplier;

import org.HdrHistogram.IntCountsHistogram;

/**
 * The attempts of one version (stable or canary) over a sliding time window, fed concurrently by the
 * event loops and read by the guard's timer.
 *
 * <p>The window is a ring of slots of equal length (one second, or longer for windows above a minute so
 * that there are never more than {@value #MAX_SLOTS} slots). Each slot counts attempts and errors and
 * holds a latency histogram for one slot-long interval of the clock. A sample recorded at time {@code t}
 * is part of every {@link #snapshot()} taken less than {@code window - slot} after {@code t} and of none
 * taken {@code window} or more after it: the window is exact to one slot.
 *
 * <p>Threading: {@link #record} takes only its slot's monitor, for the few counter updates and one
 * histogram increment, and allocates nothing beyond the slot's histogram the first time the slot is used.
 * {@link #snapshot()} is synchronized on the window and takes a slot's monitor only while reading that slot.
 *
 * <p>Cost: a snapshot does not merge every slot. The window keeps the sum of its closed slots (those before
 * the current one): each snapshot adds the slots closed since the last one and subtracts those that have
 * left the window, from copies taken when they were added, so that what leaves is exactly what came in. A
 * snapshot a second thus merges about three histograms instead of one per slot (30 by default): merging 30
 * slots of millisecond latencies took ~0.4 ms, on a core an event loop shares (see
 * {@code GuardEvaluationBenchmark}). The copies are kept in a ring of their own, reused like the slots, so
 * they add no garbage. A sample recorded into a slot after its copy was taken (its thread read the clock
 * before the slot's end and was descheduled past it) is noticed by the slot's count differing from its copy's,
 * and the copy is taken again.
 *
 * <p>The clock is injected so that tests drive time without sleeping.
 */
public final class SlidingWindow {

    static final long DEFAULT_SLOT_NANOS = Duration.ofSeconds(1).toNanos();
    static final int MAX_SLOTS = 60;

    private final LongSupplier nanoClock;
    private final long slotNanos;
    private final int slotCount;
    /** Made on the first sample: a window nobody has used holds no slots (10 000 idle routes, docs/benchmarks.md). */
    private volatile Slot[] slots;

    // The closed slots within the window as of the last snapshot, summed. Guarded by this; made with slots.
    private Closed[] closed;
    /** Made on the first closed slot with attempts: an idle route's windows hold no histogram (~8 KB each). */
    private IntCountsHistogram closedLatencies;
    private long closedRequests;
    private long closedErrors;
    /** The last epoch whose slot has been added to the sum (if it had any attempts). */
    private long closedThrough = Long.MIN_VALUE;

    /**
     * A window of the given length whose time comes from {@code nanoClock} (e.g. {@code System::nanoTime}).
     *
     * @throws IllegalArgumentException if {@code window} is not positive
     */
    public SlidingWindow(Duration window, LongSupplier nanoClock) {
        requireNonNull(window, "window");
        this.nanoClock = requireNonNull(nanoClock, "nanoClock");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window: " + window + " (expected: > 0)");
        }
        final long windowNanos = window.toNanos();
        slotCount = (int) Math.max(1, Math.min(MAX_SLOTS, windowNanos / DEFAULT_SLOT_NANOS));
        // Round the slot up so that slotCount slots cover at least the whole window.
        slotNanos = (windowNanos + slotCount - 1) / slotCount;
    }

    /** The slots, made by the first sample's thread (the only time {@link #record} takes the window's lock). */
    private synchronized Slot[] makeSlots() {
        Slot[] s = slots;
        if (s == null) {
            s = new Slot[slotCount];
            Closed[] c = new Closed[slotCount];
            for (int i = 0; i < slotCount; i++) {
                s[i] = new Slot();
                c[i] = new Closed();
            }
            closed = c;
            slots = s;
        }
        return s;
    }

    /** The length of one slot, the resolution at which samples leave the window. */
    Duration slot() {
        return Duration.ofNanos(slotNanos);
    }

    /**
     * Records one attempt that ended with {@code outcome} after {@code latencyNanos}. Latencies outside
     * 1 µs .. 60 s are clamped into that range.
     */
    public void record(Outcome outcome, long latencyNanos) {
        requireNonNull(outcome, "outcome");
        final long micros = Math.min(Math.max(latencyNanos / 1000, WindowSnapshot.LOWEST_MICROS),
                                     WindowSnapshot.HIGHEST_MICROS);
        final long epoch = Math.floorDiv(nanoClock.getAsLong(), slotNanos);
        Slot[] s = slots;
        if (s == null) {
            s = makeSlots();
        }
        final Slot slot = s[index(epoch)];
        synchronized (slot) {
            if (slot.epoch != epoch) {
                if (slot.epoch > epoch) {
                    // This thread read the clock a whole window ago and was descheduled since: the sample
                    // is already outside the window.
                    return;
                }
                slot.clear(epoch);
            }
            slot.requests++;
            if (outcome.isError()) {
                slot.errors++;
            }
            if (slot.latencies == null) {
                slot.latencies = WindowSnapshot.newHistogram();
            }
            slot.latencies.recordValue(micros);
        }
    }

    /** The attempts within the window as of now. */
    public synchronized WindowSnapshot snapshot() {
        final Slot[] slots = this.slots;
        if (slots == null) {
            return WindowSnapshot.EMPTY; // never used: nothing to sum
        }
        final long now = Math.floorDiv(nanoClock.getAsLong(), slotNanos);
        final long oldest = now - slots.length + 1;
        if (closedThrough >= now) {
            forgetClosed(); // the clock went back (only an injected one can): sum the window afresh
        }
        for (Closed c : closed) {
            if (c.epoch == Long.MIN_VALUE) {
                continue;
            }
            final boolean expired = c.epoch < oldest;
            if (!expired) {
                final Slot slot = slots[index(c.epoch)];
                synchronized (slot) {
                    if (slot.epoch != c.epoch || slot.requests == c.requests) {
                        continue; // unchanged since it was added, as nearly always
                    }
                }
            }
            // It has left the window, or its slot took a sample after it was copied (the sample's thread read
            // the clock before the slot closed): take it out of the sum, and in the second case add it again.
            final long epoch = c.epoch;
            closedRequests -= c.requests;
            closedErrors -= c.errors;
            if (c.requests > 0) {
                closedLatencies.subtract(c.latencies); // non-null: c was added to it
            }
            c.epoch = Long.MIN_VALUE;
            if (!expired) {
                addClosed(epoch);
            }
        }
        for (long epoch = Math.max(closedThrough + 1, oldest); epoch < now; epoch++) {
            addClosed(epoch);
        }
        closedThrough = Math.max(closedThrough, now - 1);
        if (closedRequests == 0) {
            closedLatencies = null; // everything has left the window: the route is idle again
        }
        // And the current slot, still filling.
        long requests = closedRequests;
        long errors = closedErrors;
        final Slot current = slots[index(now)];
        IntCountsHistogram merged = null;
        synchronized (current) {
            if (current.epoch == now && current.requests > 0) {
                requests += current.requests;
                errors += current.errors;
                merged = closedRequests > 0 ? closedLatencies.copy() : WindowSnapshot.newHistogram();
                merged.add(current.latencies);
            }
        }
        if (requests == 0) {
            return WindowSnapshot.EMPTY; // an idle window costs no copy
        }
        return WindowSnapshot.of(requests, errors, merged != null ? merged : closedLatencies.copy());
    }

    /**
     * Adds the closed slot of {@code epoch} to the sum, through a copy in the same ring index (whose previous
     * occupant, a whole window older, has been taken out). Caller holds this.
     */
    private void addClosed(long epoch) {
        final Slot slot = slots[index(epoch)]; // non-null: only snapshot, after its check, calls this
        final Closed c = closed[index(epoch)];
        synchronized (slot) {
            // An empty slot is registered too, so that a late sample into it is noticed like any other.
            c.epoch = epoch;
            if (slot.epoch != epoch || slot.requests == 0) {
                c.requests = 0;
                c.errors = 0;
                return;
            }
            c.requests = slot.requests;
            c.errors = slot.errors;
            if (c.latencies == null) {
                c.latencies = WindowSnapshot.newHistogram();
            } else {
                c.latencies.reset();
            }
            c.latencies.add(slot.latencies);
        }
        closedRequests += c.requests;
        closedErrors += c.errors;
        if (closedLatencies == null) {
            closedLatencies = WindowSnapshot.newHistogram();
        }
        closedLatencies.add(c.latencies);
    }

    private void forgetClosed() {
        if (closed == null) {
            return;
        }
        for (Closed c : closed) {
            c.epoch = Long.MIN_VALUE;
        }
        closedLatencies = null; // a cleared window is idle again: no histogram
        closedRequests = 0;
        closedErrors = 0;
        closedThrough = Long.MIN_VALUE;
    }

    /** Forgets every sample, e.g. when a new canary version starts. */
    synchronized void clear() {
        final Slot[] slots = this.slots;
        if (slots == null) {
            return;
        }
        for (Slot slot : slots) {
            synchronized (slot) {
                slot.clear(Long.MIN_VALUE);
            }
        }
        forgetClosed();
    }

    private int index(long epoch) {
        return (int) Math.floorMod(epoch, (long) slotCount);
    }

    /** A copy of a closed slot, as it was added to the window's sum; guarded by the window. */
    private static final class Closed {
        long epoch = Long.MIN_VALUE;
        long requests;
        long errors;
        IntCountsHistogram latencies;
    }

    /** One slot-long interval of the clock; guarded by its own monitor. */
    private static final class Slot {
        long epoch = Long.MIN_VALUE;
        long requests;
        long errors;
        IntCountsHistogram latencies;

        void clear(long newEpoch) {
            epoch = newEpoch;
            requests = 0;
            errors = 0;
            if (latencies != null) {
                latencies.reset();
            }
        }
    }
}
