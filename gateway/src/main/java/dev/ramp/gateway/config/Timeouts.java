package dev.ramp.gateway.config;

import java.time.Duration;

/**
 * Per-route upstream timeouts: {@code connect} to establish a connection, {@code response} until the
 * response headers arrive, {@code idle} with no bytes either way once streaming.
 */
public record Timeouts(Duration connect, Duration response, Duration idle) {}
