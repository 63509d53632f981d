package dev.ramp.gateway.config;

import java.util.Set;

/** When a failed canary attempt is retried on stable, and how much request body may be kept to replay. */
public record Fallback(boolean enabled, Set<Integer> onStatus, long maxReplayBody) {
    public Fallback {
        onStatus = Set.copyOf(onStatus);
    }
}
