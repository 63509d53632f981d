package dev.ramp.gateway.metrics;

import dev.ramp.gateway.guard.Outcome;
import dev.ramp.gateway.proxy.RouteObserver;
import dev.ramp.gateway.routing.Version;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One route's last {@link #SECONDS} seconds, one point per second and version: attempts, errors, p50 and p99
 * latency, for the dashboard's charts (an in-process ring, not Prometheus). Fed as the route's observer by the
 * event loops ({@link #onAttempt}), closed a second at a time by {@link #tick}.
 *
 * <p>Memory: an idle route holds no buffers (a few dozen bytes); its first attempt allocates them (about
 * 30 KB: the rings and the current second's latency buckets). Latencies go into logarithmic buckets, four per
 * doubling (each edge at most 25 % above the one before) from 1 µs to about a minute, so a percentile is read to within a
 * bucket's width.
 *
 * <p>Threading: {@link #onAttempt} only increments atomic counters; {@link #tick} (one thread) and the readers
 * ({@link #points}) take this object's monitor.
 */
public final class RouteHistory implements RouteObserver {
    /** How many seconds are kept: 15 minutes. */
    public static final int SECONDS = 900;
    static final int SUB = 4;
    static final int BUCKETS = 27 * SUB;
    /** Index 0 counts attempts, 1 errors; latency buckets follow. */
    private static final int REQUESTS = 0;
    private static final int ERRORS = 1;
    private static final int FIRST_BUCKET = 2;

    private final String route;
    /** The current second's counters per version (by ordinal), null until the first attempt. */
    private volatile AtomicLongArray[] current;
    // The rings, guarded by this; allocated with current.
    private Series[] series;
    /** The second the newest point belongs to; Long.MIN_VALUE before the first tick with buffers. */
    private long last = Long.MIN_VALUE;
    private int head; // index of the newest point
    private int size;

    RouteHistory(String route) {
        this.route = route;
    }

    public String route() {
        return route;
    }

    @Override
    public void onAttempt(Version version, Outcome outcome, long nanos) {
        AtomicLongArray[] c = current;
        if (c == null) {
            c = allocate();
        }
        AtomicLongArray counts = c[version.ordinal()];
        counts.incrementAndGet(REQUESTS);
        if (outcome.isError()) {
            counts.incrementAndGet(ERRORS);
        }
        counts.incrementAndGet(FIRST_BUCKET + bucket(nanos / 1000));
    }

    private synchronized AtomicLongArray[] allocate() {
        if (current == null) {
            AtomicLongArray[] c = new AtomicLongArray[Version.values().length];
            series = new Series[c.length];
            for (int i = 0; i < c.length; i++) {
                c[i] = new AtomicLongArray(FIRST_BUCKET + BUCKETS);
                series[i] = new Series();
            }
            current = c;
        }
        return current;
    }

    /** Whether the route has had an attempt since it was made (before that it holds no buffers). */
    public boolean active() {
        return current != null;
    }

    /**
     * Closes the second before {@code epochSecond}: the counters since the last tick become its point, and
     * seconds without a tick (a pause) are kept as empty points. A route without buffers does nothing.
     */
    public synchronized void tick(long epochSecond) {
        AtomicLongArray[] c = current;
        if (c == null) {
            return;
        }
        long second = epochSecond - 1;
        if (last != Long.MIN_VALUE && second <= last) {
            return; // the clock stepped back, or two ticks in one second: the counters wait for the next
        }
        long gap = last == Long.MIN_VALUE ? 0 : Math.min(SECONDS, second - last - 1);
        for (long i = 0; i < gap; i++) {
            advance();
            for (Series s : series) {
                s.set(head, 0, 0, Float.NaN, Float.NaN);
            }
        }
        advance();
        for (int v = 0; v < c.length; v++) {
            drain(c[v], series[v], head);
        }
        last = second;
    }

    private void advance() {
        head = (head + 1) % SECONDS;
        size = Math.min(SECONDS, size + 1);
    }

    private static void drain(AtomicLongArray counts, Series s, int at) {
        long[] buckets = new long[BUCKETS];
        long requests = counts.getAndSet(REQUESTS, 0);
        long errors = counts.getAndSet(ERRORS, 0);
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            buckets[i] = counts.getAndSet(FIRST_BUCKET + i, 0);
            total += buckets[i];
        }
        s.set(at, (int) Math.min(Integer.MAX_VALUE, requests), (int) Math.min(Integer.MAX_VALUE, errors),
                quantile(buckets, total, 0.50), quantile(buckets, total, 0.99));
    }

    /**
     * The points of {@code version} from the oldest kept to the newest, as {@code {requests, errors, p50Ms,
     * p99Ms}} arrays; an empty history when the route has had no attempts.
     */
    public synchronized Points points(Version version) {
        if (series == null || size == 0) {
            return new Points(last, new int[0], new int[0], new float[0], new float[0]);
        }
        Series s = series[version.ordinal()];
        int[] r = new int[size];
        int[] e = new int[size];
        float[] p50 = new float[size];
        float[] p99 = new float[size];
        for (int i = 0; i < size; i++) {
            int at = Math.floorMod(head - size + 1 + i, SECONDS);
            r[i] = s.requests[at];
            e[i] = s.errors[at];
            p50[i] = s.p50[at];
            p99[i] = s.p99[at];
        }
        return new Points(last, r, e, p50, p99);
    }

    /** The newest point of {@code version}, or null before the first closed second. */
    public synchronized Point latest(Version version) {
        if (series == null || size == 0) {
            return null;
        }
        Series s = series[version.ordinal()];
        return new Point(last, s.requests[head], s.errors[head], s.p50[head], s.p99[head]);
    }

    /** One second of one version: attempts, errors, and latency percentiles (NaN without attempts). */
    public record Point(long second, int requests, int errors, float p50Ms, float p99Ms) {}

    /**
     * One version's points, oldest first; the last is the second {@code end} (epoch seconds). A latency is NaN
     * for a second without attempts.
     */
    public record Points(long end, int[] requests, int[] errors, float[] p50Ms, float[] p99Ms) {
        public int size() {
            return requests.length;
        }
    }

    /** The bucket of a latency in microseconds: 0 for under 1 µs, then {@link #SUB} per doubling. */
    static int bucket(long micros) {
        if (micros < 1) {
            return 0;
        }
        int octave = 63 - Long.numberOfLeadingZeros(micros);
        int sub = octave >= 2 ? (int) (micros >>> (octave - 2)) & (SUB - 1) : (int) (micros << (2 - octave)) & (SUB - 1);
        return Math.min(BUCKETS - 1, 1 + octave * SUB + sub);
    }

    /** The upper edge of a bucket, in milliseconds. */
    static double upperMs(int bucket) {
        if (bucket == 0) {
            return 0.001;
        }
        int octave = (bucket - 1) / SUB;
        int sub = (bucket - 1) % SUB;
        return Math.pow(2, octave) * (1 + (sub + 1) / (double) SUB) / 1000.0;
    }

    private static float quantile(long[] buckets, long total, double q) {
        if (total == 0) {
            return Float.NaN;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < buckets.length; i++) {
            seen += buckets[i];
            if (seen >= rank) {
                return (float) upperMs(i);
            }
        }
        return (float) upperMs(buckets.length - 1);
    }

    /** One version's ring. */
    private static final class Series {
        final int[] requests = new int[SECONDS];
        final int[] errors = new int[SECONDS];
        final float[] p50 = new float[SECONDS];
        final float[] p99 = new float[SECONDS];

        void set(int at, int r, int e, float a, float b) {
            requests[at] = r;
            errors[at] = e;
            p50[at] = a;
            p99[at] = b;
        }
    }
}
