package dev.ramp.gateway.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.data.Percentage.withPercentage;

import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;


class SlidingWindowTest {

    private final FakeClock clock = new FakeClock();
    private final SlidingWindow window = new SlidingWindow(Duration.ofSeconds(30), clock);

    @Test
    void countsRequestsAndErrors() {
        for (int i = 0; i < 90; i++) {
            window.record(Outcome.SUCCESS_2XX, ms(10));
        }
        window.record(Outcome.CLIENT_4XX, ms(10));
        window.record(Outcome.SERVER_5XX, ms(10));
        window.record(Outcome.CONNECT_ERROR, ms(10));
        window.record(Outcome.TIMEOUT, ms(10));
        window.record(Outcome.RESET, ms(10));
        for (int i = 0; i < 5; i++) {
            window.record(Outcome.REDIRECT_3XX, ms(10));
        }

        final WindowSnapshot snapshot = window.snapshot();
        assertThat(snapshot.requests()).isEqualTo(100);
        assertThat(snapshot.errors()).isEqualTo(4);
        assertThat(snapshot.errorRate()).isEqualTo(0.04);
    }

    @Test
    void dropsSamplesOlderThanTheWindow() {
        window.record(Outcome.SERVER_5XX, ms(500));
        clock.advance(Duration.ofSeconds(10));
        window.record(Outcome.SUCCESS_2XX, ms(10));
        window.record(Outcome.SUCCESS_2XX, ms(10));

        clock.advance(Duration.ofMillis(18_999));
        // 28.999 s after the first sample, less than window minus one slot: everything is still inside.
        assertThat(window.snapshot().requests()).isEqualTo(3);
        assertThat(window.snapshot().errors()).isEqualTo(1);

        clock.advance(Duration.ofMillis(1_001));
        // 30 s after the first sample it is gone, the later ones (20 s old) stay.
        final WindowSnapshot snapshot = window.snapshot();
        assertThat(snapshot.requests()).isEqualTo(2);
        assertThat(snapshot.errors()).isZero();
        assertThat(snapshot.p99Ms()).isCloseTo(10, withPercentage(1));

        clock.advance(Duration.ofSeconds(10));
        assertThat(window.snapshot()).isEqualTo(WindowSnapshot.EMPTY);
    }

    @Test
    void aSampleStaysAtLeastWindowMinusOneSlotAndNeverAWholeWindow() {
        final Random random = new Random(7);
        for (int i = 0; i < 1_000; i++) {
            final FakeClock clock = new FakeClock();
            clock.advanceNanos(random.nextInt(1_000_000_000));
            final SlidingWindow window = new SlidingWindow(Duration.ofSeconds(30), clock);
            window.record(Outcome.SUCCESS_2XX, ms(1));
            clock.advanceNanos(29_000_000_000L - 1);
            assertThat(window.snapshot().requests()).isEqualTo(1);
            clock.advanceNanos(1_000_000_001L);
            assertThat(window.snapshot().requests()).isZero();
        }
    }

    @Test
    void aSlotReusedAfterAFullTurnOfTheRingStartsEmpty() {
        window.record(Outcome.SERVER_5XX, ms(900));
        // Exactly one turn of the ring later the same slot is current again.
        clock.advance(Duration.ofSeconds(30));
        window.record(Outcome.SUCCESS_2XX, ms(5));

        final WindowSnapshot snapshot = window.snapshot();
        assertThat(snapshot.requests()).isEqualTo(1);
        assertThat(snapshot.errors()).isZero();
        assertThat(snapshot.p99Ms()).isCloseTo(5, withPercentage(1));
    }

    @Test
    void percentilesAgreeWithSortedReferenceWithinHdrHistogramPrecision() {
        final Random random = new Random(42);
        final double[] reference = new double[20_000];
        for (int i = 0; i < reference.length; i++) {
            // Log-normal around 20 ms with a long tail, spread over 20 s of the window.
            final double latencyMs = Math.exp(Math.log(20) + 0.8 * random.nextGaussian());
            final long nanos = Math.round(latencyMs * 1e6);
            reference[i] = nanos / 1e6;
            window.record(Outcome.SUCCESS_2XX, nanos);
            clock.advance(Duration.ofMillis(1));
        }
        Arrays.sort(reference);

        final WindowSnapshot snapshot = window.snapshot();
        assertThat(snapshot.requests()).isEqualTo(reference.length);
        assertThat(snapshot.p50Ms()).isCloseTo(nearestRank(reference, 50), withPercentage(1));
        assertThat(snapshot.p95Ms()).isCloseTo(nearestRank(reference, 95), withPercentage(1));
        assertThat(snapshot.p99Ms()).isCloseTo(nearestRank(reference, 99), withPercentage(1));
    }

    @Test
    void latenciesOutsideTheTrackedRangeAreClampedNotRejected() {
        window.record(Outcome.SUCCESS_2XX, 0);
        window.record(Outcome.TIMEOUT, Duration.ofMinutes(5).toNanos());

        final WindowSnapshot snapshot = window.snapshot();
        assertThat(snapshot.requests()).isEqualTo(2);
        assertThat(snapshot.p50Ms()).isCloseTo(0.001, within(0.0005));
        assertThat(snapshot.p99Ms()).isCloseTo(60_000, withPercentage(1));
        assertThat(snapshot.countSlowerThan(Duration.ofSeconds(59))).isEqualTo(1);
    }

    @Test
    void aSnapshotOfMillisecondLatenciesIsSmallAndGrowsOnlyForSlowerOnes() {
        for (int i = 1; i <= 1000; i++) {
            window.record(Outcome.SUCCESS_2XX, Duration.ofMillis(1 + i % 9).toNanos());
        }
        final WindowSnapshot fast = window.snapshot();
        // Slots and the merged distribution of millisecond latencies: ~16 KB, not the ~70 KB a 60 s range takes.
        assertThat(fast.latenciesMicros().getEstimatedFootprintInBytes()).isLessThan(24 * 1024);
        assertThat(fast.p99Ms()).isCloseTo(9, withPercentage(0.2));
        assertThat(fast.countSlowerThan(Duration.ofSeconds(5))).isZero(); // beyond its range: none, not an error

        window.record(Outcome.TIMEOUT, Duration.ofSeconds(30).toNanos());
        final WindowSnapshot slow = window.snapshot();
        assertThat(slow.countSlowerThan(Duration.ofSeconds(29))).isEqualTo(1);
        assertThat(slow.latenciesMicros().getMaxValue()).isCloseTo(30_000_000L, withPercentage(0.1));
        assertThat(slow.p50Ms()).isEqualTo(fast.p50Ms());
    }

    /**
     * The window keeps a running sum of its closed slots instead of merging every slot per snapshot. Against
     * a brute-force reference (every sample kept with its slot, the window's slots summed afresh), over a
     * random walk of the clock that takes snapshots at every gap (within a slot, one slot, several, more than
     * a window, with outliers that grow the histograms' range and then leave, and late samples recorded into
     * a slot that a snapshot has already closed), every snapshot must agree.
     */
    @Test
    void theRunningSumAgreesWithSummingTheWindowAfresh() {
        final Random random = new Random(7);
        final java.util.List<long[]> samples = new java.util.ArrayList<>(); // {epoch, error, micros}
        final long slot = Duration.ofSeconds(1).toNanos();
        for (int step = 0; step < 3_000; step++) {
            final int n = random.nextInt(4) == 0 ? 0 : random.nextInt(30);
            for (int i = 0; i < n; i++) {
                final long micros = random.nextInt(200) == 0 ? 1_000_000L + random.nextInt(20_000_000)
                                                               : 200 + random.nextInt(5_000);
                final Outcome outcome = random.nextInt(10) == 0 ? Outcome.SERVER_5XX : Outcome.SUCCESS_2XX;
                // Now and then a late sample: its thread read the clock in the previous slot, which a snapshot
                // may have closed since.
                final long late = random.nextInt(20) == 0 ? slot : 0;
                clock.advanceNanos(-late);
                window.record(outcome, micros * 1000);
                samples.add(new long[] { Math.floorDiv(clock.getAsLong(), slot), outcome.isError() ? 1 : 0,
                                         micros });
                clock.advanceNanos(late);
            }
            if (random.nextInt(3) > 0) {
                final long now = Math.floorDiv(clock.getAsLong(), slot);
                final org.HdrHistogram.IntCountsHistogram expected = WindowSnapshot.newHistogram();
                long requests = 0;
                long errors = 0;
                for (long[] sample : samples) {
                    if (sample[0] > now - 30 && sample[0] <= now) {
                        requests++;
                        errors += sample[1];
                        expected.recordValue(sample[2]);
                    }
                }
                final WindowSnapshot snapshot = window.snapshot();
                assertThat(snapshot.requests()).as("requests at step %d", step).isEqualTo(requests);
                assertThat(snapshot.errors()).as("errors at step %d", step).isEqualTo(errors);
                final org.HdrHistogram.AbstractHistogram actual = snapshot.latenciesMicros();
                assertThat(actual.getTotalCount()).as("latencies at step %d", step).isEqualTo(requests);
                if (requests > 0) {
                    assertThat(actual.getMaxValue()).as("max at step %d", step).isEqualTo(expected.getMaxValue());
                    assertThat(actual.getMinNonZeroValue()).as("min at step %d", step)
                            .isEqualTo(expected.getMinNonZeroValue());
                    for (double p : new double[] { 1, 25, 50, 90, 95, 99, 99.9, 100 }) {
                        assertThat(actual.getValueAtPercentile(p)).as("p%s at step %d", p, step)
                                .isEqualTo(expected.getValueAtPercentile(p));
                    }
                }
            }
            switch (random.nextInt(8)) {
                case 0 -> clock.advanceNanos(random.nextInt((int) (slot / 4)));   // within a slot, mostly
                case 1, 2, 3 -> clock.advance(Duration.ofSeconds(1));
                case 4, 5 -> clock.advanceNanos(slot / 2 + random.nextInt((int) slot));
                case 6 -> clock.advance(Duration.ofSeconds(2 + random.nextInt(5)));
                default -> clock.advance(Duration.ofSeconds(random.nextInt(50) == 0 ? 31 + random.nextInt(60) : 1));
            }
        }
    }

    @Test
    void concurrentRecordsAreAllCounted() throws Exception {
        final int threads = 4;
        final int perThread = 50_000;
        final ExecutorService executor = Executors.newFixedThreadPool(threads);
        final CountDownLatch start = new CountDownLatch(1);
        try {
            final Future<?>[] futures = new Future<?>[threads];
            for (int t = 0; t < threads; t++) {
                futures[t] = executor.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        window.record(i % 10 == 0 ? Outcome.SERVER_5XX : Outcome.SUCCESS_2XX, ms(1 + i % 50));
                        if (i % 1_000 == 0) {
                            clock.advance(Duration.ofMillis(10));
                            window.snapshot();
                        }
                    }
                    return null;
                });
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get(1, TimeUnit.MINUTES);
            }
        } finally {
            executor.shutdownNow();
        }
        final WindowSnapshot snapshot = window.snapshot();
        assertThat(snapshot.requests()).isEqualTo((long) threads * perThread);
        assertThat(snapshot.errors()).isEqualTo((long) threads * perThread / 10);
        assertThat(snapshot.latenciesMicros().getTotalCount()).isEqualTo(snapshot.requests());
    }

    @Test
    void clearForgetsEverything() {
        window.record(Outcome.SERVER_5XX, ms(10));
        window.clear();
        assertThat(window.snapshot().requests()).isZero();
        window.record(Outcome.SUCCESS_2XX, ms(10));
        assertThat(window.snapshot().requests()).isEqualTo(1);
    }

    @Test
    void longWindowsUseCoarserSlotsAndShortOnesASingleSlot() {
        assertThat(new SlidingWindow(Duration.ofSeconds(30), clock).slot()).isEqualTo(Duration.ofSeconds(1));
        assertThat(new SlidingWindow(Duration.ofMinutes(10), clock).slot()).isEqualTo(Duration.ofSeconds(10));
        assertThat(new SlidingWindow(Duration.ofMillis(500), clock).slot()).isEqualTo(Duration.ofMillis(500));
        assertThatThrownBy(() -> new SlidingWindow(Duration.ZERO, clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("window: PT0S (expected: > 0)");
    }

    @Test
    void emptySnapshotReportsZeros() {
        assertThat(window.snapshot()).isEqualTo(WindowSnapshot.EMPTY);
    }

    @Test
    void snapshotsDoNotExposeTheirHistogram() {
        window.record(Outcome.SUCCESS_2XX, ms(10));
        final WindowSnapshot snapshot = window.snapshot();
        snapshot.latenciesMicros().recordValue(5_000_000);
        assertThat(snapshot.latenciesMicros().getTotalCount()).isEqualTo(1);
        assertThat(snapshot.countSlowerThan(Duration.ofSeconds(1))).isZero();
    }

    /** The percentile HdrHistogram reports: the value of rank ceil(p% of n), 1-based. */
    private static double nearestRank(double[] sorted, double percentile) {
        final int rank = (int) Math.max(1, Math.ceil(percentile / 100 * sorted.length));
        return sorted[rank - 1];
    }

    private static long ms(long millis) {
        return millis * 1_000_000;
    }

    @Test
    void aWindowUsedForTheFirstTimeByManyThreadsAtOnceCountsEverySample() throws Exception {
        for (int round = 0; round < 20; round++) {
            SlidingWindow fresh = new SlidingWindow(Duration.ofSeconds(30), clock);
            assertThat(fresh.snapshot()).isSameAs(WindowSnapshot.EMPTY);
            fresh.clear();
            int threads = 4;
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                Future<?>[] done = new Future<?>[threads];
                for (int t = 0; t < threads; t++) {
                    done[t] = pool.submit(() -> {
                        go.await();
                        for (int i = 0; i < 1000; i++) {
                            fresh.record(Outcome.SUCCESS_2XX, ms(1));
                        }
                        return null;
                    });
                }
                go.countDown();
                for (Future<?> f : done) {
                    f.get(10, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(fresh.snapshot().requests()).isEqualTo(threads * 1000L);
        }
    }
}
