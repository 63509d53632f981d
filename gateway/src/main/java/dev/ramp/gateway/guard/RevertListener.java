package dev.ramp.gateway.guard;

/**
 * Takes a canary out of traffic when its {@link RouteGuard} decides so: sets the effective weight to 0 %,
 * persists the revert so that it survives a restart, counts it.
 *
 * <p>Called at most once per guard between {@link RouteGuard#reset() resets}, on the thread that caused
 * the revert: an event loop for the consecutive-failures fast path, so it must not block (hand file I/O
 * to a worker). An exception it throws is logged and does not undo the guard's reverted state.
 */
@FunctionalInterface
public interface RevertListener {

    /** The canary must leave traffic for {@code reason}; {@code evidence} is what the guard saw. */
    void onRevert(RevertReason reason, Evidence evidence);
}
