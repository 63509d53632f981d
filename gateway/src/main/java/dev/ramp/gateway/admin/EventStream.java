package dev.ramp.gateway.admin;

import dev.ramp.gateway.events.EventLog;
import dev.ramp.gateway.metrics.History;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/stream}: Server-Sent Events for the dashboard. Each stream gets a {@code status} event at
 * once and then every second ({@code {"at", "status": <GET /api/status>, "history": {route: newest second}}}),
 * and an {@code event} event ({@code /api/events}' shape) as each event is recorded.
 *
 * <p>Invariants: at most {@link #MAX_STREAMS} streams are open (more get 503); the snapshot is rendered once a
 * second for all streams, and only while one is open; a stream whose client does not read is never waited for:
 * while its write queue is full its messages are dropped, and after {@link #MAX_DROPPED} dropped in a row it is
 * closed (the browser's EventSource reconnects). A closed stream stops listening to the event log. Snapshots are
 * rendered on a worker thread; everything else runs on the admin event loop, and the event log's listeners hop
 * onto it.
 */
final class EventStream {
    private static final Logger log = LoggerFactory.getLogger(EventStream.class);
    /** Streams open at once, all clients together. */
    static final int MAX_STREAMS = 32;
    /** Messages dropped in a row (the client is not reading) before its stream is closed. */
    static final int MAX_DROPPED = 10;
    /** How often a snapshot goes out. */
    static final long PERIOD_MILLIS = 1000;

    private final Vertx vertx;
    private final Supplier<JsonObject> status;
    private final EventLog events;
    private final History history;
    /** The open streams; touched on the admin event loop only. */
    private final Set<Client> clients = new LinkedHashSet<>();
    private long timer = -1;
    /** A snapshot is being rendered on a worker: the next tick does not start another. */
    private boolean rendering;

    EventStream(Vertx vertx, Supplier<JsonObject> status, EventLog events, History history) {
        this.vertx = vertx;
        this.status = status;
        this.events = events;
        this.history = history;
    }

    void open(RoutingContext ctx) {
        if (clients.size() >= MAX_STREAMS) {
            AdminResponses.error(ctx, 503, "too_many_streams", null, MAX_STREAMS
                    + " streams are open (expected: fewer dashboards; close one, or poll /api/status)");
            return;
        }
        HttpServerResponse res = ctx.response();
        res.setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no"); // a proxy in front must not hold the events back
        Context context = vertx.getOrCreateContext();
        Client c = new Client(res);
        clients.add(c);
        c.stopListening = events.listen(e -> context.runOnContext(v -> {
            if (clients.contains(c)) {
                c.send("event", EventJson.entry(e).encode());
            }
        }));
        res.closeHandler(v -> close(c));
        res.exceptionHandler(e -> close(c));
        // The browser waits this long before reconnecting after the gateway went away.
        c.write("retry: 2000\n\n");
        render(data -> c.send("status", data));
        if (timer == -1) {
            timer = vertx.setPeriodic(PERIOD_MILLIS, id -> broadcast());
        }
    }

    /** How many streams are open (for tests and the log). */
    int open() {
        return clients.size();
    }

    private JsonObject snapshot() {
        return new JsonObject().put("at", Instant.now().toString()).put("status", status.get())
                .put("history", HistoryJson.latest(history));
    }

    private void broadcast() {
        if (clients.isEmpty()) {
            vertx.cancelTimer(timer);
            timer = -1;
            return;
        }
        if (rendering) {
            return; // the last one is still being rendered (thousands of routes): skip a beat
        }
        rendering = true;
        render(data -> {
            rendering = false;
            for (Client c : new ArrayList<>(clients)) {
                c.send("status", data);
            }
        });
    }

    /**
     * Renders a snapshot on a worker thread (a status of thousands of routes takes long enough to stall the
     * admin event loop) and hands it to {@code then} back on the event loop.
     */
    private void render(java.util.function.Consumer<String> then) {
        vertx.executeBlocking(() -> snapshot().encode(), false).onComplete(ar -> {
            if (ar.succeeded()) {
                then.accept(ar.result());
            } else {
                rendering = false;
                log.warn("dashboard snapshot failed: {}", String.valueOf(ar.cause()));
            }
        });
    }

    private void close(Client c) {
        if (clients.remove(c)) {
            c.stopListening.run();
            log.debug("dashboard stream closed, {} open", clients.size());
        }
    }

    /** One open stream. */
    private final class Client {
        final HttpServerResponse res;
        Runnable stopListening = () -> {};
        int dropped;

        Client(HttpServerResponse res) {
            this.res = res;
        }

        void send(String event, String data) {
            if (res.writeQueueFull()) {
                if (++dropped >= MAX_DROPPED) {
                    log.info("dashboard stream closed: its client read nothing for {} messages", dropped);
                    close(this);
                    res.reset();
                }
                return;
            }
            dropped = 0;
            // JSON has no raw newlines, so the data is one line.
            write("event: " + event + "\ndata: " + data + "\n\n");
        }

        void write(String text) {
            res.write(text).onFailure(e -> close(this));
        }
    }
}
