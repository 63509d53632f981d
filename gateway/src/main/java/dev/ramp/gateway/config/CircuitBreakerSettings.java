package dev.ramp.gateway.config;

import java.time.Duration;

/**
 * The canary's circuit breaker: when {@code failureRate} of at least {@code minimumCalls} canary attempts in
 * the last {@code window} failed, canary-bound requests go straight to stable for {@code openFor}; then
 * {@code halfOpenCalls} probes decide whether it closes again.
 */
public record CircuitBreakerSettings(boolean enabled, Percent failureRate, int minimumCalls, Duration window,
                                     Duration openFor, int halfOpenCalls) {}
