package dev.ramp.gateway.config;

import java.time.Duration;

/**
 * Per-route upstream timeouts: {@code connect} to establish a connection, {@code response} until the
 * response headers arrive, {@code idle} with no bytes either way once streaming. A WebSocket tunnel (an
 * upgraded connection) has its own: {@code tunnelIdle} with no bytes either way, and {@code tunnelMax}, the
 * longest it may live. All positive.
 */
public record Timeouts(Duration connect, Duration response, Duration idle, Duration tunnelIdle,
                       Duration tunnelMax) {}
