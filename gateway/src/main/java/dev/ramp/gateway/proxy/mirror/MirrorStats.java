package dev.ramp.gateway.proxy.mirror;

import dev.ramp.gateway.config.MirrorSettings;
import dev.ramp.gateway.guard.Outcome;
import dev.ramp.gateway.guard.SlidingWindow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * A route's dark-launch counts, its copies in flight, a small ring of the latest differing pairs, and the
 * windows its verdict judges ({@link #verdict}): each ended copy's stable and canary times, a copy that differed
 * or failed counted as an error of the canary's window. The same instance serves every snapshot of the route,
 * so counts survive reloads; the windows start again when the canary (or the verdict's window) changes
 * ({@link #use}), as the old canary's answers say nothing of the new one. Thread-safe: every event loop records
 * into it, the admin API and the guard thread read it.
 */
public final class MirrorStats {
    /** Differing pairs kept; older ones are overwritten. */
    public static final int RING = 32;

    private final LongAdder[] counts = new LongAdder[MirrorResult.values().length];
    private final AtomicInteger inFlight = new AtomicInteger();
    private final MirrorDiff[] ring = new MirrorDiff[RING];
    private long written;
    /** The second (of {@code System.nanoTime}) diffs are being kept in, and how many were kept in it. */
    private long diffSecond;
    private int diffsThisSecond;
    private final LongSupplier nanoClock;
    /** The verdict's windows for the current canary; replaced whole, never changed. */
    private volatile Windows windows;
    private volatile MirrorObserver observer = MirrorObserver.NONE;

    public MirrorStats() {
        this(System::nanoTime);
    }

    /** @param nanoClock the verdict windows' time (tests inject one) */
    public MirrorStats(LongSupplier nanoClock) {
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /**
     * Judges copies over {@code window} for the canary named {@code canary} (its url and version): new, empty
     * windows when either changed since the last call, else the same. Called for each snapshot of the route.
     */
    public synchronized void use(Duration window, String canary) {
        Windows w = windows;
        if (w == null || !w.window.equals(window) || !w.canaryKey.equals(canary)) {
            windows = new Windows(window, canary, new SlidingWindow(window, nanoClock),
                    new SlidingWindow(window, nanoClock));
        }
    }

    /** Where each ended copy's times go besides the windows (the route's histograms). */
    public void observe(MirrorObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /** The observer given last ({@link MirrorObserver#NONE} at first). */
    public MirrorObserver observer() {
        return observer;
    }

    /** The verdict over the current windows, judged by {@code v} (whose window {@link #use} was given). */
    public MirrorVerdict verdict(MirrorSettings.Verdict v) {
        Windows w = windows;
        if (w == null) {
            use(v.window(), "");
            w = windows;
        }
        return MirrorVerdict.judge(w.stable.snapshot(), w.canary.snapshot(), v);
    }

    /**
     * Takes one of {@code max} in-flight slots for a copy; false (and counted as dropped) when all are taken.
     * A slot taken must be given back with {@link #finished}.
     */
    public boolean tryStart(int max) {
        while (true) {
            int n = inFlight.get();
            if (n >= max) {
                counts[MirrorResult.DROPPED.ordinal()].increment();
                return false;
            }
            if (inFlight.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /**
     * Whether a differing pair ending now should be kept: at most {@link #RING} a second, so a canary that
     * differs on every request costs one sample per copy only until the ring is full of fresh ones.
     */
    public boolean wantsDiff(long nanoTime) {
        long second = nanoTime / 1_000_000_000L;
        synchronized (ring) {
            if (second != diffSecond) {
                diffSecond = second;
                diffsThisSecond = 0;
            }
            return diffsThisSecond++ < RING;
        }
    }

    /**
     * A copy ended with {@code result}; {@code diff}, when not null, is kept in the ring.
     *
     * @param stableNanos how long stable took to answer the original
     * @param canaryNanos how long the canary took to answer the copy (or to fail)
     */
    public void finished(MirrorResult result, MirrorDiff diff, long stableNanos, long canaryNanos) {
        inFlight.decrementAndGet();
        counts[result.ordinal()].increment();
        Windows w = windows;
        if (w != null) {
            w.stable.record(Outcome.SUCCESS_2XX, stableNanos);
            w.canary.record(result == MirrorResult.MATCH ? Outcome.SUCCESS_2XX : Outcome.SERVER_5XX, canaryNanos);
        }
        observer.onCopy(stableNanos, canaryNanos);
        if (diff != null) {
            synchronized (ring) {
                ring[(int) (written++ % RING)] = diff;
            }
        }
    }

    public long count(MirrorResult result) {
        return counts[result.ordinal()].sum();
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** The kept differing pairs, newest first. */
    public List<MirrorDiff> diffs() {
        synchronized (ring) {
            int n = (int) Math.min(written, RING);
            List<MirrorDiff> out = new ArrayList<>(n);
            for (int i = 1; i <= n; i++) {
                out.add(ring[(int) ((written - i) % RING)]);
            }
            return out;
        }
    }

    private record Windows(Duration window, String canaryKey, SlidingWindow stable, SlidingWindow canary) {
    }
}
