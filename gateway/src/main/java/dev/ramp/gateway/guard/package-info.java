/**
 * The canary guard: measures stable and canary side by side and decides when the canary must be taken
 * out of traffic.
 *
 * <p>Everything here is free of network and event-loop types so that it can be tested with an injected
 * clock and seeded randomness:
 * <ul>
 *   <li>{@link dev.ramp.gateway.guard.SlidingWindow} records attempts per version and yields immutable
 *       {@link dev.ramp.gateway.guard.WindowSnapshot}s;</li>
 *   <li>{@link dev.ramp.gateway.guard.Judge} is a pure function of two snapshots and the
 *       {@link dev.ramp.gateway.guard.GuardThresholds};</li>
 *   <li>{@link dev.ramp.gateway.guard.RouteGuard} is the per-route state machine that counts breaches
 *       and failures and fires a {@link dev.ramp.gateway.guard.RevertListener} once.</li>
 * </ul>
 *
 * <p>Nothing here renders or parses JSON: the admin API renders these records, and revert latches are
 * persisted by {@code dev.ramp.gateway.state}.
 */
package dev.ramp.gateway.guard;
