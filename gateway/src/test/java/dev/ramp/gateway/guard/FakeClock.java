package dev.ramp.gateway.guard;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A nano clock that moves only when told to; starts at an arbitrary, large offset like nanoTime does. */
final class FakeClock implements LongSupplier {

    private final AtomicLong nanos = new AtomicLong(1_234_567_890_123L);

    @Override
    public long getAsLong() {
        return nanos.get();
    }

    void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    void advanceNanos(long delta) {
        nanos.addAndGet(delta);
    }
}
