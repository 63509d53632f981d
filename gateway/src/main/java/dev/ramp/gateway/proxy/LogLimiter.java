package dev.ramp.gateway.proxy;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * At most one log line per key (a route) per period, for events that can come thousands of times a second
 * (a failing canary's fallbacks): the ones in between are counted and reported with the next line. Safe from
 * any thread; the caller passes the time, so it is tested without sleeping.
 */
public final class LogLimiter {
    private final long periodNanos;
    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();

    private static final class Slot {
        /** When the next line may be written; the first event of a key is always written. */
        final AtomicLong next = new AtomicLong();
        final LongAdder suppressed = new LongAdder();
        volatile boolean started;
    }

    public LogLimiter(Duration period) {
        this.periodNanos = period.toNanos();
    }

    /**
     * An event for {@code key} at {@code nowNanos}: returns how many events of the key were suppressed since
     * its last line when this one is to be written, or -1 when it is suppressed (and counted).
     */
    public long admit(String key, long nowNanos) {
        Slot s = slots.computeIfAbsent(key, k -> new Slot());
        long next = s.next.get();
        if (s.started && nowNanos - next < 0 || !s.next.compareAndSet(next, nowNanos + periodNanos)) {
            s.suppressed.increment();
            return -1;
        }
        s.started = true;
        return s.suppressed.sumThenReset();
    }
}
