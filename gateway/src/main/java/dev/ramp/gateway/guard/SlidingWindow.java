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
 * {@link #snapshot()} takes each slot's monitor in turn while adding that slot into the merged result.
 * The clock is injected so that tests drive time without sleeping.
 */
public final class SlidingWindow {

    static final long DEFAULT_SLOT_NANOS = Duration.ofSeconds(1).toNanos();
    static final int MAX_SLOTS = 60;

    private final LongSupplier nanoClock;
    private final long slotNanos;
    private final Slot[] slots;

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
        final int slotCount = (int) Math.max(1, Math.min(MAX_SLOTS, windowNanos / DEFAULT_SLOT_NANOS));
        // Round the slot up so that slotCount slots cover at least the whole window.
        slotNanos = (windowNanos + slotCount - 1) / slotCount;
        slots = new Slot[slotCount];
        for (int i = 0; i < slotCount; i++) {
            slots[i] = new Slot();
        }
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
        final Slot slot = slots[index(epoch)];
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
    public WindowSnapshot snapshot() {
        final long now = Math.floorDiv(nanoClock.getAsLong(), slotNanos);
        final long oldest = now - slots.length + 1;
        long requests = 0;
        long errors = 0;
        final IntCountsHistogram merged = WindowSnapshot.newHistogram();
        for (Slot slot : slots) {
            synchronized (slot) {
                if (slot.epoch >= oldest && slot.epoch <= now) {
                    requests += slot.requests;
                    errors += slot.errors;
                    if (slot.latencies != null) {
                        merged.add(slot.latencies);
                    }
                }
            }
        }
        return WindowSnapshot.of(requests, errors, merged);
    }

    /** Forgets every sample, e.g. when a new canary version starts. */
    void clear() {
        for (Slot slot : slots) {
            synchronized (slot) {
                slot.clear(Long.MIN_VALUE);
            }
        }
    }

    private int index(long epoch) {
        return (int) Math.floorMod(epoch, (long) slots.length);
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
