package dev.ramp.gateway.events;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * A bounded, thread-safe ring of recent operator-relevant events (reverts, resumes, reloads, weight
 * changes, ...), served newest first by {@code GET /api/events}.
 *
 * <p>Invariants: at most {@link #capacity()} events are kept; when full, recording drops the oldest.
 * Events are immutable once recorded. Recording is cheap and never blocks for long (one short lock), so
 * event loops may record; it is not meant for per-request use.
 */
public final class EventLog {
    /** How many events the admin API keeps by default. */
    public static final int DEFAULT_CAPACITY = 500;

    /** Event types written by the gateway itself; other components may add their own. */
    public static final String REVERT = "revert";
    public static final String RESUME = "resume";
    public static final String RELOAD = "reload";
    public static final String RELOAD_FAILED = "reload_failed";
    public static final String WEIGHT_CHANGE = "weight_change";
    public static final String ROUTE_ADDED = "route_added";
    public static final String ROUTE_REMOVED = "route_removed";
    public static final String UPSTREAM_CHANGE = "upstream_change";
    public static final String LATCH_CORRUPT = "latch_corrupt";

    /**
     * One event. {@code route} is null for gateway-wide events (reloads); {@code details} is a private
     * copy, never null.
     */
    public record Event(Instant at, String type, String route, String message, JsonObject details) {
        public Event {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(message, "message");
            details = details == null ? new JsonObject() : details.copy();
        }

        /** {@code {"at", "type", "route", "message", "details"}}; {@code at} is ISO-8601 UTC. */
        public JsonObject toJson() {
            return new JsonObject()
                    .put("at", at.toString())
                    .put("type", type)
                    .put("route", route)
                    .put("message", message)
                    .put("details", details.copy());
        }
    }

    private final int capacity;
    private final Clock clock;
    private final ArrayDeque<Event> ring; // guarded by this; newest at the head

    private EventLog(int capacity, Clock clock) {
        this.capacity = capacity;
        this.clock = clock;
        this.ring = new ArrayDeque<>(Math.min(capacity, 64));
    }

    /** A log of {@link #DEFAULT_CAPACITY} events on the system UTC clock. */
    public static EventLog of() {
        return of(DEFAULT_CAPACITY, Clock.systemUTC());
    }

    public static EventLog of(int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 1)");
        }
        return new EventLog(capacity, Objects.requireNonNull(clock, "clock"));
    }

    public int capacity() {
        return capacity;
    }

    /** Records an event stamped now, dropping the oldest when full, and returns it. */
    public Event record(String type, String route, String message, JsonObject details) {
        Event e = new Event(clock.instant(), type, route, message, details);
        synchronized (this) {
            if (ring.size() == capacity) {
                ring.removeLast();
            }
            ring.addFirst(e);
        }
        return e;
    }

    /** A copy of the kept events, newest first. */
    public synchronized List<Event> recent() {
        return new ArrayList<>(ring);
    }

    /** The kept events as JSON, newest first. */
    public JsonArray toJson() {
        JsonArray out = new JsonArray();
        for (Iterator<Event> it = recent().iterator(); it.hasNext(); ) {
            out.add(it.next().toJson());
        }
        return out;
    }
}
