package dev.ramp.gateway.admin;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * A route's rollout plan as {@code GET /api/status} shows it (rendered by {@link RolloutStatusJson}).
 *
 * @param state         progressing, paused, waiting_gate, ready_to_promote or aborted
 * @param step          how many of the plan's steps are at or below its weight (0: still on the start weight)
 * @param steps         the plan's step weights, {@code "1%"}, ...
 * @param weight        the weight the plan serves (0% once aborted)
 * @param stepStartedAt when the plan arrived on its weight
 * @param nextStepAt    the earliest time of the next step up (at 100 %: of readiness to promote); null when the
 *                      plan is not going anywhere by itself
 * @param reason        why it holds, is paused or aborted; null when it is simply on its way
 * @param requests      canary requests counted on the step
 * @param minRequests   how many the step needs
 * @param promote       at ready_to_promote, the config edit that promotes the canary; else null
 */
public record RolloutView(String state, int step, List<String> steps, String weight, Instant stepStartedAt,
                          Instant nextStepAt, String reason, long requests, long minRequests, String promote) {
    public RolloutView {
        requireNonNull(state, "state");
        steps = List.copyOf(steps);
        requireNonNull(weight, "weight");
        requireNonNull(stepStartedAt, "stepStartedAt");
    }
}
