package dev.ramp.gateway.proxy.netty;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * One event loop's connections to upstream origins: per origin (pool key), the idle keep-alive connections
 * (like an nginx worker's upstream keepalive cache), how many are open, and the exchanges waiting for one.
 * At most {@code maxPerOrigin} connections to an origin are open from one loop, connecting ones included; an
 * exchange that finds none idle and the limit reached waits in line (FIFO) and gets the next connection that
 * comes back clean, or the slot of the next one that closes. How long it may wait is the exchange's concern
 * ({@link Connector}). Confined to its event loop.
 */
final class OriginPools {

    /** What the loop knows of one origin; its connections count themselves out of the object they were in. */
    static final class Origin {
        final ArrayDeque<UpstreamConnection> idle = new ArrayDeque<>();
        final ArrayDeque<Connector> waiting = new ArrayDeque<>(0);
        int open;
    }

    private final int maxPerOrigin;
    private final Map<String, Origin> origins = new HashMap<>();

    OriginPools(int maxPerOrigin) {
        this.maxPerOrigin = maxPerOrigin;
    }

    private Origin origin(String key) {
        Origin o = origins.get(key);
        if (o == null) {
            o = new Origin();
            origins.put(key, o);
        }
        return o;
    }

    /** An idle pooled connection to the origin {@code key}, or null. */
    UpstreamConnection acquire(String key) {
        Origin o = origins.get(key);
        if (o == null) {
            return null;
        }
        UpstreamConnection u;
        while ((u = o.idle.pollLast()) != null) {
            if (u.channel.isActive()) {
                return u;
            }
        }
        return null;
    }

    /**
     * The origin {@code key} with one more connection counted open, or null when its limit is reached. The
     * connection reports its close to {@link #closed(Origin)} with this object, so the count stays right even
     * after a reload dropped the origin and a later one added it again.
     */
    Origin tryOpen(String key) {
        Origin o = origin(key);
        if (o.open >= maxPerOrigin) {
            return null;
        }
        o.open++;
        return o;
    }

    /** Queues {@code c} for the next connection to {@code key} that comes free. */
    void await(String key, Connector c) {
        origin(key).waiting.offerLast(c);
    }

    /** {@code c} waits no more for {@code key} (timed out, or its client left). */
    void stopWaiting(String key, Connector c) {
        Origin o = origins.get(key);
        if (o != null) {
            o.waiting.remove(c);
        }
    }

    /** Takes back a clean connection: handed to the first exchange still waiting, else kept idle. */
    void release(UpstreamConnection u, long now) {
        Origin o = origin(u.key);
        Connector next = nextWaiting(o);
        if (next != null) {
            next.free(u);
            return;
        }
        u.pooled(now);
        o.idle.offerLast(u);
    }

    /** A connection of {@code o} closed: its slot goes to the first exchange still waiting. */
    void closed(Origin o) {
        o.open--;
        Connector next = nextWaiting(o);
        if (next != null) {
            next.free(null); // opens one in the slot just freed
        }
    }

    private static Connector nextWaiting(Origin o) {
        Connector c;
        while ((c = o.waiting.pollFirst()) != null) {
            if (c.waiting()) { // (those that left the line are removed; this is a second check)
                return c;
            }
        }
        return null;
    }

    /** How many connections to {@code key} are open from this loop, connecting ones included. */
    int open(String key) {
        Origin o = origins.get(key);
        return o == null ? 0 : o.open;
    }

    /** Closes idle connections idle longer than {@code maxIdleNanos} or already closed by the upstream. */
    void expire(long now, long maxIdleNanos) {
        for (Origin o : origins.values()) {
            for (Iterator<UpstreamConnection> it = o.idle.iterator(); it.hasNext(); ) {
                UpstreamConnection u = it.next();
                if (!u.channel.isActive() || now - u.idleSince() > maxIdleNanos) {
                    it.remove();
                    u.channel.close();
                }
            }
        }
    }

    /** Drops the idle connections of origins no longer configured (busy ones close when they finish). */
    void retain(Set<String> keys) {
        origins.entrySet().removeIf(e -> {
            if (keys.contains(e.getKey())) {
                return false;
            }
            e.getValue().idle.forEach(u -> u.channel.close());
            return true;
        });
    }

    /** Closes every idle connection (shutdown). */
    void closeIdle() {
        for (Origin o : origins.values()) {
            o.idle.forEach(u -> u.channel.close());
            o.idle.clear();
        }
    }
}
