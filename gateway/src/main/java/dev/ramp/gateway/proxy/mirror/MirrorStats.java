package dev.ramp.gateway.proxy.mirror;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A route's dark-launch counts, its copies in flight and a small ring of the latest differing pairs. The same
 * instance serves every snapshot of the route, so counts survive reloads. Thread-safe: every event loop
 * records into it, the admin API reads it.
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

    public MirrorStats() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
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

    /** A copy ended with {@code result}; {@code diff}, when not null, is kept in the ring. */
    public void finished(MirrorResult result, MirrorDiff diff) {
        inFlight.decrementAndGet();
        counts[result.ordinal()].increment();
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
}
