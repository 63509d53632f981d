package dev.ramp.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventLogTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void keepsTheNewestEventsFirstAndDropsTheOldestWhenFull() {
        EventLog log = EventLog.of(3, clock);
        for (int i = 1; i <= 5; i++) {
            log.record(EventLog.WEIGHT_CHANGE, "shop", "step " + i, null);
        }
        assertThat(log.recent()).extracting(EventLog.Event::message).containsExactly("step 5", "step 4", "step 3");
    }

    @Test
    void servesTheDocumentedJsonShape() {
        EventLog log = EventLog.of(10, clock);
        JsonObject details = new JsonObject().put("reason", "manual");
        log.record(EventLog.REVERT, "shop", "reverted", details);
        details.put("mutated", true); // the log keeps its own copy
        log.record(EventLog.RELOAD, null, "reloaded", null);

        JsonArray json = log.toJson();
        assertThat(json.getJsonObject(0).getMap()).containsOnlyKeys("at", "type", "route", "message", "details");
        assertThat(json.getJsonObject(0).getString("type")).isEqualTo("reload");
        assertThat(json.getJsonObject(0).getValue("route")).isNull();
        assertThat(json.getJsonObject(1).getString("at")).isEqualTo("2026-11-22T10:00:00Z");
        assertThat(json.getJsonObject(1).getJsonObject("details")).isEqualTo(new JsonObject().put("reason", "manual"));
    }

    @Test
    void concurrentWritersNeverOverfillTheRing() throws InterruptedException {
        EventLog log = EventLog.of(50, clock);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int id = t;
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 1_000; i++) {
                    log.record(EventLog.RELOAD, null, id + "/" + i, null);
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
    void rejectsANonPositiveCapacity() {
        assertThatThrownBy(() -> EventLog.of(0, clock)).hasMessage("capacity: 0 (expected: >= 1)");
    }
}
