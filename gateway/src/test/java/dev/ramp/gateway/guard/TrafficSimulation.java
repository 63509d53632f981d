package dev.ramp.gateway.guard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToLongFunction;

/**
 * Drives a {@link RouteGuard} with synthetic traffic on a {@link FakeClock}: both versions get the same
 * request rate, spread evenly over each second, and the guard is evaluated every {@code evaluateEvery},
 * as the gateway's timer would.
 */
final class TrafficSimulation {

    /**
     * How one version behaves.
     *
     * @param errorRate the probability that an attempt fails with a 5xx
     * @param latencyNanos draws one attempt's latency
     */
    record Version(double errorRate, ToLongFunction<Random> latencyNanos) {

        static Version of(double errorRate, ToLongFunction<Random> latencyNanos) {
            return new Version(errorRate, latencyNanos);
        }
    }

    /** A revert the listener saw, with the simulated time since the start. */
    record Revert(RevertReason reason, Evidence evidence, Duration after) {}

    /** Everything the guard did during one run. */
    record Result(List<Revert> reverts, List<Evaluation> evaluations) {

        boolean reverted() {
            return !reverts.isEmpty();
        }
    }

    private TrafficSimulation() {}

    /** A guard on {@code clock} whose reverts are collected into {@code reverts}. */
    static RouteGuard guard(GuardThresholds thresholds, FakeClock clock, List<Revert> reverts) {
        final long start = clock.getAsLong();
        return new RouteGuard("shop", thresholds, clock, (reason, evidence) -> reverts.add(
                new Revert(reason, evidence, Duration.ofNanos(clock.getAsLong() - start))));
    }

    /**
     * Runs {@code duration} of traffic at {@code ratePerVersion} requests per second to each version,
     * stopping early after a revert if {@code stopAtRevert}.
     */
    static Result run(GuardThresholds thresholds, Duration duration, double ratePerVersion,
                      Version stable, Version canary, long seed, boolean stopAtRevert) {
        final FakeClock clock = new FakeClock();
        final List<Revert> reverts = new ArrayList<>();
        final RouteGuard guard = guard(thresholds, clock, reverts);
        final Random random = new Random(seed);
        final List<Evaluation> evaluations = new ArrayList<>();
        final long tick = Math.round(1e9 / ratePerVersion);
        final long evaluateEvery = thresholds.evaluateEvery().toNanos();
        final long end = duration.toNanos();
        long now = 0;
        long nextRequest = tick;
        long nextEvaluation = evaluateEvery;
        while (now < end) {
            // Whichever comes first, a request pair or an evaluation, happens next.
            final long next = Math.min(nextRequest, nextEvaluation);
            clock.advanceNanos(next - now);
            now = next;
            if (now == nextRequest) {
                send(guard, Role.STABLE, stable, random);
                send(guard, Role.CANARY, canary, random);
                nextRequest += tick;
            }
            if (now == nextEvaluation) {
                evaluations.add(guard.evaluate());
                nextEvaluation += evaluateEvery;
            }
            if (stopAtRevert && !reverts.isEmpty()) {
                break;
            }
        }
        return new Result(reverts, evaluations);
    }

    private static void send(RouteGuard guard, Role role, Version version, Random random) {
        final Outcome outcome = random.nextDouble() < version.errorRate() ? Outcome.SERVER_5XX
                                                                          : Outcome.SUCCESS_2XX;
        guard.record(role, outcome, version.latencyNanos().applyAsLong(random));
    }

    /** Latency around {@code meanMs} with Gaussian jitter of {@code jitterMs}, never below 1 ms. */
    static ToLongFunction<Random> gaussianMs(double meanMs, double jitterMs) {
        return random -> Math.round(Math.max(1, meanMs + jitterMs * random.nextGaussian()) * 1e6);
    }

    /**
     * A realistic API latency: a floor, an exponential body and a 1 % tail of slow requests between 100 and
     * 400 ms (cache misses, GC pauses).
     */
    static ToLongFunction<Random> apiLatency(double floorMs, double meanExtraMs) {
        return random -> {
            double ms = floorMs - meanExtraMs * Math.log(1 - random.nextDouble());
            if (random.nextDouble() < 0.01) {
                ms += 100 + 300 * random.nextDouble();
            }
            return Math.round(ms * 1e6);
        };
    }
}
