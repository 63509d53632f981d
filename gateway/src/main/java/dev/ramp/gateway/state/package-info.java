/**
 * State the gateway keeps on disk across restarts: revert {@link dev.ramp.gateway.state.Latch}es in
 * {@code state-dir}, written atomically by {@link dev.ramp.gateway.state.LatchStore} in the format of
 * {@link dev.ramp.gateway.state.LatchJson}. The guard decides; this package only remembers.
 */
package dev.ramp.gateway.state;
