package dev.ramp.gateway.notify;

import dev.ramp.gateway.config.NotifyTarget;
import dev.ramp.gateway.events.EventLog;
import dev.ramp.gateway.metrics.RampMetrics;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Sends events to the webhooks of {@code ramp.notify}: listens to the {@link EventLog} and hands each event
 * a webhook selects to that webhook's {@link WebhookSender}. The webhooks are read from the config serving
 * when each event is recorded, so a reload applies to the next event; a webhook whose settings changed gets
 * a fresh sender while the old one finishes its queue.
 *
 * <p>Never blocks its caller: the listener counts and hands off; posting runs on one Vert.x context with a
 * non-blocking HTTP client (not the traffic listener's event loops, and not the guard thread).
 */
public final class Notifier implements AutoCloseable {
    private final Vertx vertx;
    private final Context context;
    private final HttpClient client;
    private final RampMetrics metrics;
    private final Supplier<List<NotifyTarget>> targets;
    private final Map<NotifyTarget, WebhookSender> senders = new ConcurrentHashMap<>();
    private final Runnable unlisten;

    private Notifier(Vertx vertx, EventLog events, RampMetrics metrics, Supplier<List<NotifyTarget>> targets) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setName("ramp-notify"));
        this.metrics = metrics;
        this.targets = targets;
        this.unlisten = events.listen(this::accept);
    }

    /**
     * Starts listening to {@code events}.
     *
     * @param targets the webhooks of the config serving now (read at every event)
     */
    public static Notifier start(Vertx vertx, EventLog events, RampMetrics metrics,
                                 Supplier<List<NotifyTarget>> targets) {
        return new Notifier(Objects.requireNonNull(vertx, "vertx"), Objects.requireNonNull(events, "events"),
                Objects.requireNonNull(metrics, "metrics"), Objects.requireNonNull(targets, "targets"));
    }

    private void accept(EventLog.Entry entry) {
        List<NotifyTarget> current = targets.get();
        if (current.isEmpty() && senders.isEmpty()) {
            return;
        }
        String type = entry.event().type();
        for (NotifyTarget t : current) {
            if (EventSelector.selects(t.events(), type)) {
                senders.computeIfAbsent(t, k -> new WebhookSender(k, vertx, context, client, metrics)).offer(entry);
            }
        }
        // Senders of webhooks a reload removed or changed go once their queue is empty.
        senders.entrySet().removeIf(e -> !current.contains(e.getKey()) && e.getValue().pending() == 0);
    }

    /** Notifications queued or in flight, all webhooks together. */
    public int pending() {
        return senders.values().stream().mapToInt(WebhookSender::pending).sum();
    }

    /** Stops listening; notifications not yet sent are abandoned. */
    @Override
    public void close() {
        unlisten.run();
        try {
            client.close().await(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Closing at shutdown: nothing left to tell.
        }
    }
}
