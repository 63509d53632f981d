package dev.ramp.gateway.guard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * Drives a {@link RouteGuard} with synthetic traffic on a {@link FakeClock}: both versions get the same
 * request rate, spread evenly over each second, and the guard is evaluated every {@code evaluateEvery},
 * as the gateway's timer would. A version may change its behaviour at a point in time (a regression that
 * starts mid-rollout). {@link GuardSimulationReport} runs it for simulated days.
 */
final class TrafficSimulation {

    /**
     * How one version behaves.
     *
     * @param errorRate the probability that an attempt fails with a 5xx
     * @param latencyNanos draws one attempt's latency
     */
    record Version(double errorRate, ToLongFunction<Random> latencyNanos, long switchNanos, Version next) {

        static Version of(double errorRate, ToLongFunction<Random> latencyNanos) {
            return new Version(errorRate, latencyNanos, Long.MAX_VALUE, null);
        }

        /** This version until {@code at} (simulated time since the start), {@code later} from then on. */
        Version until(Duration at, Version later) {
            return new Version(errorRate, latencyNanos, at.toNanos(), later);
        }

        Version at(long nanos) {
            return nanos < switchNanos ? this : next.at(nanos);
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
        final List<Evaluation> evaluations = new ArrayList<>();
        final List<Revert> reverts = run(thresholds, duration, ratePerVersion, stable, canary, seed, stopAtRevert,
                                         evaluations::add);
        return new Result(reverts, evaluations);
    }

    /**
     * As {@link #run(GuardThresholds, Duration, double, Version, Version, long, boolean)}, handing each
     * evaluation to {@code onEvaluation} instead of keeping it (a simulated day is 86 400 of them); returns
     * the reverts.
     */
    static List<Revert> run(GuardThresholds thresholds, Duration duration, double ratePerVersion,
                            Version stable, Version canary, long seed, boolean stopAtRevert,
                            Consumer<Evaluation> onEvaluation) {
        return run(thresholds, duration, ratePerVersion, 1, stable, canary, seed, stopAtRevert, onEvaluation);
    }

    /**
     * The canary at {@code canaryRate} requests per second and stable at {@code stablePerCanary} times that
     * (4: the canary at 20 % of the route's traffic), each evaluation handed to {@code onEvaluation}.
     */
    static List<Revert> run(GuardThresholds thresholds, Duration duration, double canaryRate, int stablePerCanary,
                            Version stable, Version canary, long seed, boolean stopAtRevert,
                            Consumer<Evaluation> onEvaluation) {
        final double ratePerVersion = canaryRate;
        final FakeClock clock = new FakeClock();
        final List<Revert> reverts = new ArrayList<>();
        final RouteGuard guard = guard(thresholds, clock, reverts);
        final Random random = new Random(seed);
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
                for (int i = 0; i < stablePerCanary; i++) {
                    send(guard, Role.STABLE, stable.at(now), random);
                }
                send(guard, Role.CANARY, canary.at(now), random);
                nextRequest += tick;
            }
            if (now == nextEvaluation) {
                onEvaluation.accept(guard.evaluate());
                nextEvaluation += evaluateEvery;
            }
            if (stopAtRevert && !reverts.isEmpty()) {
                break;
            }
        }
        return reverts;
    }

    private static void send(RouteGuard guard, Role role, Version version, Random random) {
        final Outcome outcome = random.nextDouble() < version.errorRate() ? Outcome.SERVER_5XX
                                                                          : Outcome.SUCCESS_2XX;
        guard.record(role, outcome, version.latencyNanos().applyAsLong(random));
    }

    /** {@code latency} plus exactly {@code micros}. */
    static ToLongFunction<Random> plusMicros(ToLongFunction<Random> latency, long micros) {
        return random -> latency.applyAsLong(random) + micros * 1000;
    }

    /** Latency log-normal around a median of {@code medianMicros} with shape {@code sigma}, to the microsecond. */
    static ToLongFunction<Random> logNormalMicros(double medianMicros, double sigma) {
        return random -> Math.round(medianMicros * Math.exp(sigma * random.nextGaussian()) * 1000);
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
