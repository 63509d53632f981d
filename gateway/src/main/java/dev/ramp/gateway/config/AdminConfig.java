package dev.ramp.gateway.config;

import java.util.Optional;

/** The admin listener and the bearer token that guards its POST endpoints. */
public record AdminConfig(Endpoint listen, Optional<String> token) {
    @Override
    public String toString() {
        // Never print the token.
        return "AdminConfig[listen=" + listen + ", token=" + (token.isPresent() ? "***" : "none") + "]";
    }
}
