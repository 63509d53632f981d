package dev.ramp.gateway.guard;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The result of one {@link RouteGuard#evaluate()}.
 *
 * @param verdict the judge's verdict on the current windows
 * @param consecutiveBreaches breaching verdicts in a row, this one included; 0 once reverted
 * @param revertTriggered whether this evaluation reverted the canary (true at most once per reset)
 * @param revertReason why the canary is reverted, by this evaluation or earlier; empty while armed
 */
public record Evaluation(Verdict verdict, int consecutiveBreaches, boolean revertTriggered,
                         Optional<RevertReason> revertReason) {

    public Evaluation {
        requireNonNull(verdict, "verdict");
        requireNonNull(revertReason, "revertReason");
        if (revertTriggered && revertReason.isEmpty()) {
            throw new IllegalArgumentException("revertReason: empty (expected: present when revertTriggered)");
        }
    }
}
