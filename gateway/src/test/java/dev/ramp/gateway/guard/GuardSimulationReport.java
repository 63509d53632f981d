package dev.ramp.gateway.guard;

import static dev.ramp.gateway.guard.TrafficSimulation.apiLatency;
import static dev.ramp.gateway.guard.TrafficSimulation.logNormalMicros;

import dev.ramp.gateway.guard.TrafficSimulation.Revert;
import dev.ramp.gateway.guard.TrafficSimulation.Version;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * The guard's false-revert rate and detection times, measured by simulation with the default thresholds
 * (docs/architecture.md, "Guard"; run with {@code bash loadtests/bench/guard-sim.sh}). Not a unit test: a
 * simulated day at 1 000 req/s is 170 million recorded attempts and 86 400 evaluations.
 *
 * <ul>
 * Every rollout has the canary at 20 % of the route's traffic (stable gets four requests for each of the
 * canary's); rates are the canary's requests per second. System properties choose the sizes:
 * <ul>
 *   <li>{@code false}: healthy canaries over {@code hours} (24) simulated hours, evaluated every second, at
 *       each rate of {@code rates} ("1:60,10:60,100:10,1000:2": the canary's requests per second, and how
 *       many seeds). Prints per rate the rollouts reverted, the looks that breached, and the smallest p-value
 *       any test reached, with the level a test must go below.</li>
 *   <li>{@code nearly}: canaries that differ from stable by less than matters (sub-millisecond answers with
 *       a colder canary, or a canary exactly 1 ms slower), {@code nearlyMinutes} (60) at 100 and 1 000 req/s.</li>
 *   <li>{@code detect}: time to revert a total failure, +5 points of errors over a 1 % baseline and +100 ms
 *       of latency, at {@code detectRate} (100) canary req/s, over {@code detectSeeds} (200) seeds; bad from
 *       the canary's start, and from 5 minutes into a healthy rollout.</li>
 * </ul>
 * Uses only what the guard's API had before its sequential-testing change too, so the same file measures
 * the earlier guard when copied into an older checkout.
 */
public final class GuardSimulationReport {

    private static final Version HEALTHY = Version.of(0.01, apiLatency(15, 5));
    private static final int THREADS = Integer.getInteger("threads", Runtime.getRuntime().availableProcessors());

    private GuardSimulationReport() {}

    public static void main(String[] args) throws Exception {
        final List<String> parts = args.length == 0 ? List.of("false", "nearly", "detect") : Arrays.asList(args);
        final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            if (parts.contains("false")) {
                falseReverts(pool);
            }
            if (parts.contains("nearly")) {
                nearlyEqual(pool);
            }
            if (parts.contains("detect")) {
                detection(pool);
            }
        } finally {
            pool.shutdown();
        }
    }

    /** What one simulated rollout did. */
    private record Run(boolean reverted, String reason, double revertedAfterSeconds, long breachingLooks,
                       double[] minP) {}

    private static Run simulate(Duration duration, double rate, Version stable, Version canary, long seed) {
        final long[] breaching = new long[1];
        final double[] minP = {1, 1, 1, 1};
        final List<Revert> reverts = TrafficSimulation.run(GuardThresholds.defaults(), duration, rate, 4, stable,
                canary, seed, true, evaluation -> {
                    final Evidence e = evaluation.verdict().evidence();
                    if (evaluation.verdict().state() == Verdict.State.BREACHING) {
                        breaching[0]++;
                    }
                    minP[0] = min(minP[0], e.errorRatePValue());
                    minP[1] = min(minP[1], e.errorRateIncreasePValue());
                    minP[2] = min(minP[2], e.p99PValue());
                    minP[3] = min(minP[3], e.latencyPValue());
                });
        if (reverts.isEmpty()) {
            return new Run(false, "", Double.NaN, breaching[0], minP);
        }
        final Revert r = reverts.get(0);
        return new Run(true, r.reason().tag(), r.after().toMillis() / 1000.0, breaching[0], minP);
    }

    private static double min(double a, double b) {
        return Double.isNaN(b) ? a : Math.min(a, b);
    }

    private static List<Run> runAll(ExecutorService pool, int seeds, Function<Long, Run> one) throws Exception {
        final List<Future<Run>> futures = new ArrayList<>();
        for (long seed = 1; seed <= seeds; seed++) {
            final long s = seed;
            futures.add(pool.submit(() -> one.apply(s)));
        }
        final List<Run> runs = new ArrayList<>();
        for (Future<Run> f : futures) {
            runs.add(f.get());
        }
        return runs;
    }

    private static void falseReverts(ExecutorService pool) throws Exception {
        final int hours = Integer.getInteger("hours", 24);
        final String rates = System.getProperty("rates", "1:60,10:60,100:10,1000:2");
        System.out.printf("%n### Healthy canary (identical to stable: 1 %% errors, API-like latency), %d h per "
                          + "rollout, evaluated every second; test level %s%n%n", hours, level());
        System.out.println("| canary req/s | rollouts | reverted | median time to a revert | breaching looks | "
                           + "smallest p (error_rate, error_rate_increase, p99, latency_increase) | wall time |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (String spec : rates.split(",")) {
            final String[] rs = spec.split(":");
            final double rate = Double.parseDouble(rs[0]);
            final int seeds = Integer.parseInt(rs[1]);
            final long start = System.nanoTime();
            final List<Run> runs = runAll(pool, seeds,
                    seed -> simulate(Duration.ofHours(hours), rate, HEALTHY, HEALTHY, seed * 7919 + (long) rate));
            report(rate, runs, start);
        }
    }

    private static void nearlyEqual(ExecutorService pool) throws Exception {
        final int minutes = Integer.getInteger("nearlyMinutes", 60);
        final int seeds = Integer.getInteger("nearlySeeds", 4);
        // Two identical sub-millisecond upstreams; the canary's connection, with a fifth of the traffic, is
        // colder: p95 ~1.1 ms against ~0.7 ms. And the same stable with a canary exactly 1 ms slower.
        final Version fastStable = Version.of(0.001, logNormalMicros(600, 0.1));
        final Version colderCanary = Version.of(0.001, logNormalMicros(750, 0.25));
        final Version oneMsSlower = Version.of(0.001, TrafficSimulation.plusMicros(logNormalMicros(600, 0.1), 1000));
        System.out.printf("%n### Canaries that differ by less than matters, %d min per rollout%n%n", minutes);
        System.out.println("| case | canary req/s | rollouts | reverted | first revert after (s) |");
        System.out.println("|---|---|---|---|---|");
        for (double rate : new double[] {100, 1000}) {
            nearly("sub-ms answers, canary p95 ~0.4 ms slower (colder connection)", rate, seeds,
                   runAll(pool, seeds, seed -> simulate(Duration.ofMinutes(minutes), rate, fastStable, colderCanary,
                                                        seed)));
            nearly("sub-ms answers, canary exactly 1 ms slower", rate, seeds, runAll(pool, seeds,
                   seed -> simulate(Duration.ofMinutes(minutes), rate, fastStable, oneMsSlower, seed)));
        }
    }

    private static void nearly(String name, double rate, int seeds, List<Run> runs) {
        final double first = runs.stream().filter(Run::reverted).mapToDouble(Run::revertedAfterSeconds).min()
                .orElse(Double.NaN);
        System.out.printf(Locale.ROOT, "| %s | %.0f | %d | %d | %s |%n", name, rate, seeds,
                          runs.stream().filter(Run::reverted).count(), Double.isNaN(first) ? "-" : fmt(first));
    }

    private static void detection(ExecutorService pool) throws Exception {
        final int seeds = Integer.getInteger("detectSeeds", 200);
        final double rate = Double.parseDouble(System.getProperty("detectRate", "100"));
        System.out.printf("%n### Time to revert a bad canary, %.0f canary req/s, %d seeds%n%n", rate, seeds);
        System.out.println("| regression | goal | p50 (s) | p95 (s) | max (s) | within goal | reason |");
        System.out.println("|---|---|---|---|---|---|---|");
        final Duration limit = Duration.ofMinutes(10);
        detect("total failure, from the start", 2, runAll(pool, seeds, seed -> simulate(limit, rate, HEALTHY,
                Version.of(1.0, apiLatency(15, 5)), seed)));
        detect("+5 points of errors over 1 %, from the start", 15, runAll(pool, seeds, seed -> simulate(limit, rate,
                HEALTHY, Version.of(0.06, apiLatency(15, 5)), seed)));
        detect("+100 ms latency, from the start", 10, runAll(pool, seeds, seed -> simulate(limit, rate, HEALTHY,
                Version.of(0.01, apiLatency(115, 5)), seed)));
        final Duration onset = Duration.ofMinutes(5);
        final List<Run> late = runAll(pool, seeds, seed -> simulate(onset.plus(limit), rate, HEALTHY,
                HEALTHY.until(onset, Version.of(0.06, apiLatency(15, 5))), seed));
        detect("+5 points of errors, 5 min into a healthy rollout", 15, shift(late, onset));
        final List<Run> lateLatency = runAll(pool, seeds, seed -> simulate(onset.plus(limit), rate, HEALTHY,
                HEALTHY.until(onset, Version.of(0.01, apiLatency(115, 5))), seed));
        detect("+100 ms latency, 5 min into a healthy rollout", 10, shift(lateLatency, onset));
    }

    /** Times counted from the regression's onset; a revert before it is a false one and counts as never. */
    private static List<Run> shift(List<Run> runs, Duration onset) {
        final double s = onset.toSeconds();
        return runs.stream().map(r -> !r.reverted() || r.revertedAfterSeconds() < s
                ? new Run(false, "", Double.NaN, r.breachingLooks(), r.minP())
                : new Run(true, r.reason(), r.revertedAfterSeconds() - s, r.breachingLooks(), r.minP())).toList();
    }

    private static void detect(String name, double goalSeconds, List<Run> runs) {
        final double[] times = runs.stream().filter(Run::reverted).mapToDouble(Run::revertedAfterSeconds).sorted()
                .toArray();
        final long within = Arrays.stream(times).filter(t -> t <= goalSeconds).count();
        final String reasons = String.join(", ", runs.stream().filter(Run::reverted).map(Run::reason).distinct()
                .sorted().toList());
        if (times.length == 0) {
            System.out.printf(Locale.ROOT, "| %s | %.0f s | never | | | 0 of %d | |%n", name, goalSeconds,
                              runs.size());
            return;
        }
        System.out.printf(Locale.ROOT, "| %s | %.0f s | %s | %s | %s | %d of %d | %s |%n", name, goalSeconds,
                          fmt(quantile(times, 0.5)), fmt(quantile(times, 0.95)),
                          times.length < runs.size() ? "never (" + (runs.size() - times.length) + ")"
                                                     : fmt(times[times.length - 1]),
                          within, runs.size(), reasons);
    }

    private static void report(double rate, List<Run> runs, long start) {
        final double[] minP = {1, 1, 1, 1};
        long breaching = 0;
        for (Run r : runs) {
            breaching += r.breachingLooks();
            for (int i = 0; i < 4; i++) {
                minP[i] = Math.min(minP[i], r.minP()[i]);
            }
        }
        final double[] times = runs.stream().filter(Run::reverted).mapToDouble(Run::revertedAfterSeconds).sorted()
                .toArray();
        final String median = times.length == 0 ? "-" : fmt(quantile(times, 0.5) / 60) + " min";
        System.out.printf(Locale.ROOT, "| %.0f | %d | %d | %s | %d | %.1e, %.1e, %.1e, %.1e | %.0f s |%n", rate,
                          runs.size(), runs.stream().filter(Run::reverted).count(), median, breaching,
                          minP[0], minP[1], minP[2], minP[3], (System.nanoTime() - start) / 1e9);
    }

    private static double quantile(double[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }

    private static String fmt(double seconds) {
        return String.format(Locale.ROOT, "%.1f", seconds);
    }

    /** The level a test must go below: {@code testLevel()} now, {@code significance()} before. */
    private static String level() {
        for (String name : new String[] {"testLevel", "significance"}) {
            try {
                final Object v = GuardThresholds.class.getMethod(name).invoke(GuardThresholds.defaults());
                return String.format(Locale.ROOT, "%.2g (%s)", (Double) v, name);
            } catch (ReflectiveOperationException e) {
                // try the next
            }
        }
        return "?";
    }
}
