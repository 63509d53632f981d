package dev.ramp.gateway.events;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A bounded, thread-safe ring of recent operator-relevant events (reverts, resumes, reloads, weight
 * changes, ...), served newest first by {@code GET /api/events}. Each event is a record of its own kind
 * (see {@link Event}); the admin API renders them.
 *
 * <p>Invariants: at most {@link #capacity()} events are kept; when full, recording drops the oldest.
 * Events are immutable records, stamped with this log's clock when recorded. Recording is cheap and never
 * blocks for long (one short lock), so event loops may record; it is not meant for per-request use.
 *
 * <p>Listeners ({@link #listen}) hear every entry after it is kept, on the recording thread, in the
 * order listeners were added. They must hand off and return at once (a queue, a Vert.x context): they run
 * on event loops and the guard thread. A listener that throws is skipped for that entry, never the rest.
 */
public final class EventLog {
    /** How many events the admin API keeps by default. */
    public static final int DEFAULT_CAPACITY = 500;

    /** The {@link Event#type()} of each kind, as {@code /api/events} shows it. */
    public static final String REVERT = Reverted.TYPE;
    public static final String RESUME = Resumed.TYPE;
    public static final String RELOAD = ConfigReloaded.TYPE;
    public static final String RELOAD_FAILED = ConfigRejected.TYPE;
    public static final String WEIGHT_CHANGE = WeightChanged.TYPE;
    public static final String ROUTE_ADDED = RouteAdded.TYPE;
    public static final String ROUTE_REMOVED = RouteRemoved.TYPE;
    public static final String UPSTREAM_CHANGE = UpstreamChanged.TYPE;
    public static final String LATCH_CORRUPT = LatchCorrupt.TYPE;
    public static final String TLS_RELOAD = CertificatesReloaded.TYPE;
    public static final String TLS_RELOAD_FAILED = CertificatesRejected.TYPE;
    public static final String CLUSTER_DOWN = ClusterDisconnected.TYPE;
    public static final String CLUSTER_UP = ClusterConnected.TYPE;
    public static final String REPLICA_REVERT = ReplicaChange.REVERT;
    public static final String REPLICA_RESUME = ReplicaChange.RESUME;
    public static final String ALERT_UNMATCHED = AlertUnmatched.TYPE;

    /**
     * Something an operator should know happened. One record per kind; several kinds may share a
     * {@link #type()} when they differ only in cause (a resume by an operator or by a new canary).
     */
    public sealed interface Event permits Reverted, Resumed, CanaryReplaced, LatchLifted, LatchCorrupt,
            LatchWriteFailed, ConfigReloaded, ConfigRejected, RouteAdded, RouteRemoved, WeightChanged,
            UpstreamChanged, CertificatesReloaded, CertificatesRejected, ClusterConnected, ClusterDisconnected,
            ReplicaChange, RolloutEvent, AlertUnmatched {

        /** The kind's wire name, e.g. {@code "revert"}. */
        String type();

        /** The route it concerns, or null for gateway-wide events (reloads). */
        default String route() {
            return null;
        }

        /** One line for operators. */
        String message();
    }

    /** An event and when it was recorded. */
    public record Entry(Instant at, Event event) {
        public Entry {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(event, "event");
        }
    }

    private final int capacity;
    private final Clock clock;
    private final ArrayDeque<Entry> ring; // guarded by this; newest at the head
    private final List<Consumer<Entry>> listeners = new CopyOnWriteArrayList<>();

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

    /** Records an event stamped now, dropping the oldest when full, and returns the entry. */
    public Entry record(Event event) {
        Entry e = new Entry(clock.instant(), Objects.requireNonNull(event, "event"));
        synchronized (this) {
            if (ring.size() == capacity) {
                ring.removeLast();
            }
            ring.addFirst(e);
        }
        for (Consumer<Entry> l : listeners) {
            try {
                l.accept(e);
            } catch (RuntimeException ex) {
                // One broken listener (a notifier, a stream) must not cost the others or the recorder.
                System.getLogger(EventLog.class.getName()).log(System.Logger.Level.WARNING,
                        "event listener failed on " + e.event().type() + ": " + ex);
            }
        }
        return e;
    }

    /**
     * Adds a listener that hears every entry recorded from now on (see the class comment for its duties);
     * returns a handle whose {@code run()} removes it.
     */
    public Runnable listen(Consumer<Entry> listener) {
        Consumer<Entry> l = Objects.requireNonNull(listener, "listener");
        listeners.add(l);
        return () -> listeners.remove(l);
    }

    /** A copy of the kept entries, newest first. */
    public synchronized List<Entry> entries() {
        return new ArrayList<>(ring);
    }

    /** The kept events without their times, newest first. */
    public List<Event> recent() {
        return entries().stream().map(Entry::event).toList();
    }
}
