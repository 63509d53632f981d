package dev.ramp.gateway.config;

import java.util.Set;

/** When a failed canary attempt is retried on stable, and how much request body may be kept to replay. */
public record Fallback(boolean enabled, Set<Integer> onStatus, long maxReplayBody) {
    /** One box per possible status code, so a look-up per response allocates nothing. */
    private static final Integer[] STATUS_BOXES = new Integer[600];

    static {
        for (int i = 0; i < STATUS_BOXES.length; i++) {
            STATUS_BOXES[i] = i;
        }
    }

    public Fallback {
        onStatus = Set.copyOf(onStatus);
    }

    /** Whether a canary answer with {@code status} is retried on stable. */
    public boolean retriesOn(int status) {
        return status >= 0 && status < STATUS_BOXES.length && onStatus.contains(STATUS_BOXES[status]);
    }
}
