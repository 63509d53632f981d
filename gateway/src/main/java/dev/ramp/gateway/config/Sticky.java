package dev.ramp.gateway.config;

import java.time.Duration;

/** Where a route finds the identity it hashes: a user header, else its own cookie. */
public record Sticky(String userHeader, String cookie, Duration cookieMaxAge) {}
