package dev.ramp.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ramp.gateway.config.Percent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventLogTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);

    private static WeightChanged step(int i) {
        return new WeightChanged("shop", new Percent(i * 100 - 100), new Percent(i * 100), false);
    }

    @Test
    void keepsTheNewestEventsFirstAndDropsTheOldestWhenFull() {
        EventLog log = EventLog.of(3, clock);
        for (int i = 1; i <= 5; i++) {
            log.record(step(i));
        }
        assertThat(log.recent()).containsExactly(step(5), step(4), step(3));
        assertThat(log.recent()).extracting(EventLog.Event::message)
                .containsExactly("canary weight 4% -> 5%", "canary weight 3% -> 4%", "canary weight 2% -> 3%");
    }

    @Test
    void entriesAreStampedWithTheLogsClock() {
        EventLog log = EventLog.of(10, clock);
        EventLog.Entry e = log.record(new RouteRemoved("shop"));
        assertThat(e.at()).isEqualTo(Instant.parse("2026-11-22T10:00:00Z"));
        assertThat(log.entries()).containsExactly(e);
    }

    @Test
    void eachKindHasItsWireType() {
        assertThat(new RouteRemoved("shop").type()).isEqualTo(EventLog.ROUTE_REMOVED).isEqualTo("route_removed");
        assertThat(new ConfigRejected("x").type()).isEqualTo(EventLog.RELOAD_FAILED).isEqualTo("reload_failed");
        assertThat(new ConfigRejected("x").route()).isNull();
        assertThat(new CanaryReplaced("shop", "v1", "v2", "http://a:1").type()).isEqualTo(EventLog.RESUME);
    }

    @Test
    void concurrentWritersNeverOverfillTheRing() throws InterruptedException {
        EventLog log = EventLog.of(50, clock);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 1_000; i++) {
                    log.record(new ConfigRejected("e" + i));
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(log.recent()).hasSize(50);
    }

    @Test
    void listenersHearEachEntryInOrderAndABrokenOneCostsNothing() {
        EventLog log = EventLog.of(10, clock);
        List<String> heard = new ArrayList<>();
        log.listen(e -> {
            throw new IllegalStateException("broken receiver");
        });
        Runnable stop = log.listen(e -> heard.add(e.event().route()));
        log.record(new RouteRemoved("a"));
        log.record(new RouteRemoved("b"));
        stop.run();
        log.record(new RouteRemoved("c"));
        assertThat(heard).containsExactly("a", "b");
        assertThat(log.recent()).hasSize(3);
    }

    @Test
    void rejectsANonPositiveCapacity() {
        assertThatThrownBy(() -> EventLog.of(0, clock)).hasMessage("capacity: 0 (expected: >= 1)");
    }
}
