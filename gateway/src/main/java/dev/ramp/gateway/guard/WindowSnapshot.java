package dev.ramp.gateway.guard;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.IntCountsHistogram;

/**
 * What one version did within the sliding window, as of one instant: attempt and error counts, the
 * error rate and latency percentiles, plus the merged latency distribution that the {@link Judge}'s tail
 * test counts in. It is the single source of truth for both the guard's decisions and the status API,
 * which renders it as it is.
 *
 * <p>Invariants: {@code 0 <= errors <= requests}; {@code errorRate == errors / requests} (0 when there
 * were no requests); percentiles are HdrHistogram's {@code getValueAtPercentile} in milliseconds (0 when
 * no latency was recorded). The latency distribution is in microseconds (1 µs .. 60 s, 3 significant
 * digits) and includes every attempt, errors too, as users waited for them.
 *
 * <p>The snapshot owns the histogram passed to its constructor: the caller must not modify it afterwards.
 * {@link #latenciesMicros()} hands out copies, so a snapshot is immutable from the outside.
 *
 * @param requests attempts in the window
 * @param errors attempts whose {@link Outcome#isError()} is true
 * @param errorRate {@code errors / requests} as a ratio in 0..1
 * @param p50Ms median latency in milliseconds
 * @param p95Ms 95th percentile latency in milliseconds
 * @param p99Ms 99th percentile latency in milliseconds
 * @param latenciesMicros the merged latency distribution in microseconds
 */
public record WindowSnapshot(long requests, long errors, double errorRate,
                             double p50Ms, double p95Ms, double p99Ms,
                             AbstractHistogram latenciesMicros) {

    /** Lowest latency the histograms resolve, in microseconds. */
    static final long LOWEST_MICROS = 1;
    /** Highest latency the histograms track, in microseconds (60 s); longer latencies are clamped to it. */
    static final long HIGHEST_MICROS = 60_000_000L;
    /** Relative precision of 0.1 %: percentiles are within 1 % of the exact value with a wide margin. */
    static final int SIGNIFICANT_DIGITS = 3;

    /** A window with no attempts. */
    public static final WindowSnapshot EMPTY = of(0, 0, newHistogram());

    public WindowSnapshot {
        if (requests < 0) {
            throw new IllegalArgumentException("requests: " + requests + " (expected: >= 0)");
        }
        if (errors < 0 || errors > requests) {
            throw new IllegalArgumentException("errors: " + errors + " (expected: 0.." + requests + ')');
        }
        requireNonNull(latenciesMicros, "latenciesMicros");
    }

    /**
     * A snapshot computed from counts and a latency distribution in microseconds, which the snapshot
     * takes ownership of.
     */
    static WindowSnapshot of(long requests, long errors, AbstractHistogram latenciesMicros) {
        final double errorRate = requests == 0 ? 0 : (double) errors / requests;
        return new WindowSnapshot(requests, errors, errorRate,
                                  percentileMs(latenciesMicros, 50),
                                  percentileMs(latenciesMicros, 95),
                                  percentileMs(latenciesMicros, 99),
                                  latenciesMicros);
    }

    /**
     * A latency histogram for a slot or a merged window, from 1 µs at {@value #SIGNIFICANT_DIGITS} significant
     * digits. It grows only as far as the largest latency recorded into it (at most 60 s, as values are
     * clamped): a slot of millisecond latencies takes ~16 KB instead of the ~70 KB a fixed 60 s range takes.
     * A route's guard has two windows of up to 60 slots, each slot with a copy for the window's running sum
     * (see {@link SlidingWindow}), so that is about 4 MB per route instead of up to 16 MB, and less for the
     * young collections to copy while the slots fill. Int counts halve the memory of a
     * slot; a bucket would need 2^31 attempts within one slot to overflow.
     */
    static IntCountsHistogram newHistogram() {
        return new IntCountsHistogram(SIGNIFICANT_DIGITS); // auto-resizing, from 1 µs
    }

    private static double percentileMs(AbstractHistogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    /** A copy of the merged latency distribution, in microseconds. */
    @Override
    public AbstractHistogram latenciesMicros() {
        return latenciesMicros.copy();
    }

    /** How many attempts took longer than {@code threshold} (at the histogram's 0.1 % resolution). */
    public long countSlowerThan(Duration threshold) {
        return countSlowerThanMicros(Math.min(Math.max(threshold.toNanos() / 1000, LOWEST_MICROS), HIGHEST_MICROS));
    }

    /** How many attempts took longer than {@code micros} (at the histogram's 0.1 % resolution). */
    long countSlowerThanMicros(long micros) {
        final long total = latenciesMicros.getTotalCount();
        return total == 0 ? 0 : total - latenciesMicros.getCountBetweenValues(0, micros);
    }

    /**
     * The {@code percentile} of this window's and {@code other}'s latencies together, in microseconds (0 when
     * both are empty): the same whichever of the two is which.
     */
    long pooledPercentileMicros(WindowSnapshot other, double percentile) {
        final AbstractHistogram pooled = latenciesMicros.copy();
        pooled.add(other.latenciesMicros);
        return pooled.getTotalCount() == 0 ? 0 : pooled.getValueAtPercentile(percentile);
    }

    @Override
    public String toString() {
        return "WindowSnapshot[requests=" + requests + ", errors=" + errors + ", errorRate=" + errorRate
               + ", p50Ms=" + p50Ms + ", p95Ms=" + p95Ms + ", p99Ms=" + p99Ms + ']';
    }
}
