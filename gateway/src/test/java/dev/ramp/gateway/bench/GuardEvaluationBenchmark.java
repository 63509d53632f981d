package dev.ramp.gateway.bench;

import dev.ramp.gateway.guard.GuardThresholds;
import dev.ramp.gateway.guard.Judge;
import dev.ramp.gateway.guard.Outcome;
import dev.ramp.gateway.guard.SlidingWindow;
import dev.ramp.gateway.guard.Verdict;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One second of the guard's work for a route under load: the clock moves on a second, {@value #PER_SECOND}
 * attempts per version are recorded into the new slot, and canary is judged against stable over the default
 * 30 s window. {@code tick} is what the guard's timer pays each second (the evaluation runs on the proxy's
 * cores, so it competes with the event loops); {@code recordOnly} is the same without the evaluation, so the
 * difference is the evaluation's cost. Latencies are log-normal around 1 ms with one attempt in a thousand
 * between 50 ms and 2 s, as under real traffic, so that slots differ in the range they cover.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GuardEvaluationBenchmark {
    static final int PER_SECOND = 2_000;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final SplittableRandom random = new SplittableRandom(42);
    private final GuardThresholds thresholds = GuardThresholds.defaults();
    private long now;
    private SlidingWindow stable;
    private SlidingWindow canary;

    @Setup
    public void setup() {
        stable = new SlidingWindow(thresholds.window(), () -> now);
        canary = new SlidingWindow(thresholds.window(), () -> now);
        for (int s = 0; s < 31; s++) {
            recordOneSecond();
        }
    }

    private void recordOneSecond() {
        now += SECOND;
        for (int k = 0; k < PER_SECOND; k++) {
            stable.record(Outcome.SUCCESS_2XX, latencyNanos());
            canary.record(Outcome.SUCCESS_2XX, latencyNanos());
        }
    }

    private long latencyNanos() {
        if (random.nextInt(1000) == 0) {
            return 50_000_000L + random.nextLong(1_950_000_000L);
        }
        // exp(N(0, 0.5)) ms by Box-Muller
        final double z = Math.sqrt(-2 * Math.log(1 - random.nextDouble()))
                         * Math.cos(2 * Math.PI * random.nextDouble());
        return (long) (1_000_000 * Math.exp(0.5 * z));
    }

    @Benchmark
    public long recordOnly() {
        recordOneSecond();
        return now;
    }

    @Benchmark
    public long snapshotsOnly() {
        recordOneSecond();
        return stable.snapshot().requests() + canary.snapshot().requests();
    }

    @Benchmark
    public Verdict tick() {
        recordOneSecond();
        return Judge.evaluate(stable.snapshot(), canary.snapshot(), thresholds);
    }
}
