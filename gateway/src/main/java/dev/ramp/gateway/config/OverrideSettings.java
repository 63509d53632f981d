package dev.ramp.gateway.config;

import java.util.Set;

/**
 * Manual assignment: the override header (honoured only from trusted sources) and the rings of user ids
 * pinned to a version.
 */
public record OverrideSettings(String header, Set<String> canaryUsers, Set<String> stableUsers) {
    public OverrideSettings {
        canaryUsers = Set.copyOf(canaryUsers);
        stableUsers = Set.copyOf(stableUsers);
    }
}
