package dev.ramp.gateway.rollout;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A rollout plan in plain values: the weights of its steps in basis points (strictly rising, the last
 * {@value #FULL} = 100 %), the least time and canary requests on a step, the gates asked before a step up,
 * and how long the canary stays healthy at 100 % before it is ready to promote.
 *
 * <p>A plan starts at the route's configured weight ("step 0"); its step on any weight is the number of its
 * steps at or below that weight, and its next step up is the first step above it. So a plan's progress is
 * its weight, never an index: an edited plan re-derives its step from the weight it serves.
 *
 * <p>With {@code mirrorGate}, the step up from step 0 (the first step, usually from 0 %) also waits for the
 * route's dark-launch verdict to pass, asked like one more gate.
 */
public record Plan(List<Integer> steps, Duration stepEvery, long minRequests, List<String> gates,
                   Duration promoteAfter, boolean mirrorGate) {

    /** 100 % in basis points. */
    public static final int FULL = 10_000;

    public Plan {
        steps = List.copyOf(steps);
        gates = List.copyOf(gates);
        requireNonNull(stepEvery, "stepEvery");
        requireNonNull(promoteAfter, "promoteAfter");
        if (steps.isEmpty() || steps.get(steps.size() - 1) != FULL) {
            throw new IllegalArgumentException("steps: " + steps + " (expected: rising, the last " + FULL + ")");
        }
        for (int i = 0; i < steps.size(); i++) {
            int s = steps.get(i);
            if (s <= 0 || s > FULL || i > 0 && s <= steps.get(i - 1)) {
                throw new IllegalArgumentException("steps: " + steps + " (expected: rising, each in 1.." + FULL + ")");
            }
        }
        if (minRequests < 0) {
            throw new IllegalArgumentException("minRequests: " + minRequests + " (expected: >= 0)");
        }
    }

    /** A plan without a mirror gate. */
    public Plan(List<Integer> steps, Duration stepEvery, long minRequests, List<String> gates, Duration promoteAfter) {
        this(steps, stepEvery, minRequests, gates, promoteAfter, false);
    }

    /** Whether the step up from {@code weight} waits for the dark-launch verdict: the first step, when gated. */
    public boolean mirrorGated(int weight) {
        return mirrorGate && stepOf(weight) == 0;
    }

    /** The gates asked before stepping up from {@code weight}: the URLs, and the dark-launch verdict if gated. */
    public int gatesBefore(int weight) {
        return gates.size() + (mirrorGated(weight) ? 1 : 0);
    }

    /**
     * The steps of an exponential ramp: {@code start}, then each the one before times {@code factor}, rounded
     * to a basis point, at least one basis point above the one before, capped at 100 % (which always ends it).
     */
    public static List<Integer> exponential(int startBasisPoints, double factor) {
        if (startBasisPoints <= 0 || startBasisPoints > FULL) {
            throw new IllegalArgumentException("start: " + startBasisPoints + " (expected: 1.." + FULL + ")");
        }
        if (!(factor > 1)) {
            throw new IllegalArgumentException("factor: " + factor + " (expected: above 1)");
        }
        List<Integer> out = new ArrayList<>();
        double exact = startBasisPoints;
        int last = 0;
        while (last < FULL) {
            int next = (int) Math.min(FULL, Math.max(last + 1, Math.round(exact)));
            out.add(next);
            last = next;
            exact *= factor;
        }
        return out;
    }

    /** How many steps the plan has. */
    public int size() {
        return steps.size();
    }

    /** The step of {@code weight}: how many of the plan's steps are at or below it (0 below the first). */
    public int stepOf(int weight) {
        int n = 0;
        while (n < steps.size() && steps.get(n) <= weight) {
            n++;
        }
        return n;
    }

    /** The first step above {@code weight}; -1 at 100 %. */
    public int nextAbove(int weight) {
        for (int s : steps) {
            if (s > weight) {
                return s;
            }
        }
        return -1;
    }
}
