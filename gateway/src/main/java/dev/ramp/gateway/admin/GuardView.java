package dev.ramp.gateway.admin;

import static java.util.Objects.requireNonNull;

import dev.ramp.gateway.guard.Verdict;
import dev.ramp.gateway.state.LatchHold;

/**
 * The guard's view of one route, as {@code GET /api/status} and the kill switch's answers show it
 * (rendered by {@link GuardJson#status(GuardView)}).
 *
 * @param state {@code reverted}, {@code guard_disabled} or the last verdict's state tag
 * @param hold what holds the route reverted; null unless the route is reverted and something holds it
 * @param verdict the guard's last verdict, whose windows the status shows; null when the guard is disabled
 * @param consecutiveBreaches breaching evaluations in a row so far (0 without a guard)
 * @param breachesToRevert how many in a row revert (0 without a guard)
 */
public record GuardView(String state, LatchHold hold, Verdict verdict, int consecutiveBreaches,
                        int breachesToRevert) {

    public GuardView {
        requireNonNull(state, "state");
    }

    /** A route without a guard: no windows, no verdict. */
    public static GuardView disabled(String state, LatchHold hold) {
        return new GuardView(state, hold, null, 0, 0);
    }
}
