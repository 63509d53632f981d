package dev.ramp.gateway.rollout;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * How far a route's plan has come: what survives a restart (in state-dir or, later, a shared store). The
 * plan is for one canary ({@code canaryUrl}, {@code canaryVersion}): a new canary starts a new plan.
 *
 * @param state         where the plan is
 * @param weight        the weight it serves, in basis points (0 while aborted, whatever this says)
 * @param stepStartedAt when it arrived on that weight
 * @param requests      canary requests counted on this step so far
 * @param reason        why it holds, paused or aborted, or what happened last; null when nothing to say
 * @param canaryUrl     the canary the plan rolls out
 * @param canaryVersion its version
 */
public record Progress(RolloutState state, int weight, Instant stepStartedAt, long requests, String reason,
                       String canaryUrl, String canaryVersion) {

    public Progress {
        requireNonNull(state, "state");
        requireNonNull(stepStartedAt, "stepStartedAt");
        requireNonNull(canaryUrl, "canaryUrl");
        requireNonNull(canaryVersion, "canaryVersion");
        if (weight < 0 || weight > Plan.FULL) {
            throw new IllegalArgumentException("weight: " + weight + " (expected: 0.." + Plan.FULL + ")");
        }
        if (requests < 0) {
            throw new IllegalArgumentException("requests: " + requests + " (expected: >= 0)");
        }
    }

    /** The canary's share while the plan is in this state: nothing once aborted, else its weight. */
    public int effectiveWeight() {
        return state == RolloutState.ABORTED ? 0 : weight;
    }

    /** Whether this progress rolls out the canary at {@code url} running {@code version}. */
    public boolean sameCanary(String url, String version) {
        return canaryUrl.equals(url) && canaryVersion.equals(version);
    }

    Progress with(RolloutState s, String why) {
        return new Progress(s, weight, stepStartedAt, requests, why, canaryUrl, canaryVersion);
    }

    /** The same progress with {@code n} canary requests counted on the step. */
    public Progress withRequests(long n) {
        return new Progress(state, weight, stepStartedAt, n, reason, canaryUrl, canaryVersion);
    }

    Progress steppedTo(int w, RolloutState s, Instant now, String why) {
        return new Progress(s, w, now, 0, why, canaryUrl, canaryVersion);
    }
}
