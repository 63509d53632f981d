package dev.ramp.gateway.control;

import dev.ramp.gateway.rollout.Health;
import dev.ramp.gateway.state.ReplicaSync;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every replica saw of a rollout plan's current step, so the replica that steps the plan judges it on
 * the traffic of all of them: each replica shares, per route, the canary requests it served on the step and
 * its guard's verdict (a small record in {@link ReplicaSync}'s progress map under {@code share:<route>|<id>},
 * sent when it changes and at least every {@link #HEARTBEAT}); shares older than {@link #FRESH} (a replica
 * gone) no longer count. Single replica ({@link ReplicaSync#LOCAL}): nothing is heard, nothing added.
 *
 * <p>{@link #heard} runs on the cluster's thread; everything else on the guard thread.
 */
final class ReplicaShares {
    static final String PREFIX = "share:";
    static final Duration HEARTBEAT = Duration.ofSeconds(5);
    static final Duration FRESH = Duration.ofSeconds(15);

    /** One replica's view of a step. */
    record Share(String canaryVersion, int weight, long requests, Health health, long atMillis) {}

    private final ReplicaSync shared;
    private final Clock clock;
    private final String me;
    private final Map<String, Map<String, Share>> heard = new ConcurrentHashMap<>();
    private final Map<String, Share> sent = new HashMap<>();

    ReplicaShares(ReplicaSync shared, Clock clock) {
        this.shared = shared;
        this.clock = clock;
        this.me = shared.replica();
    }

    static boolean isShare(String key) {
        return key.startsWith(PREFIX);
    }

    /** Another replica's share (or this one's own echo, ignored). */
    void heard(String key, JsonObject value) {
        int bar = key.lastIndexOf('|');
        if (bar < PREFIX.length()) {
            return;
        }
        String route = key.substring(PREFIX.length(), bar);
        String id = key.substring(bar + 1);
        if (id.equals(me)) {
            return;
        }
        try {
            Share s = new Share(value.getString("canaryVersion"), value.getInteger("weight"),
                    value.getLong("requests"), Health.valueOf(value.getString("health")), value.getLong("at"));
            heard.computeIfAbsent(route, r -> new ConcurrentHashMap<>()).put(id, s);
        } catch (RuntimeException malformed) {
            // a share this version cannot read counts for nothing
        }
    }

    /** Shares this replica's view of {@code route}'s step when it changed, or as a heartbeat. */
    void publish(String route, String canaryVersion, int weight, long requests, Health health) {
        long now = clock.millis();
        Share last = sent.get(route);
        if (last != null && last.canaryVersion().equals(canaryVersion) && last.weight() == weight
            && last.requests() == requests && last.health() == health
            && now - last.atMillis() < HEARTBEAT.toMillis()) {
            return;
        }
        Share s = new Share(canaryVersion, weight, requests, health, now);
        sent.put(route, s);
        shared.progress(PREFIX + route + "|" + me, new JsonObject().put("canaryVersion", canaryVersion)
                .put("weight", weight).put("requests", requests).put("health", health.name()).put("at", now));
    }

    /** Canary requests the other replicas served on this step (same canary, same weight), as last heard. */
    long others(String route, String canaryVersion, int weight) {
        long sum = 0;
        for (Share s : fresh(route)) {
            if (s.canaryVersion().equals(canaryVersion) && s.weight() == weight) {
                sum += s.requests();
            }
        }
        return sum;
    }

    /**
     * The verdict the plan steps on: reverted if this replica is; breaching if any replica's guard is;
     * healthy if one is and none breaches; else this replica's own (too little data, or no guard).
     */
    Health combine(String route, String canaryVersion, int weight, Health own) {
        if (own == Health.REVERTED || own == Health.BREACHING) {
            return own;
        }
        boolean healthy = own == Health.HEALTHY;
        for (Share s : fresh(route)) {
            if (!s.canaryVersion().equals(canaryVersion) || s.weight() != weight) {
                continue;
            }
            if (s.health() == Health.BREACHING) {
                return Health.BREACHING;
            }
            healthy |= s.health() == Health.HEALTHY;
        }
        return healthy ? Health.HEALTHY : own;
    }

    private Iterable<Share> fresh(String route) {
        Map<String, Share> m = heard.get(route);
        if (m == null) {
            return java.util.List.of();
        }
        long oldest = clock.millis() - FRESH.toMillis();
        return m.values().stream().filter(s -> s.atMillis() >= oldest).toList();
    }
}
