package dev.ramp.gateway.notify;

import dev.ramp.gateway.config.NotifyTarget;
import dev.ramp.gateway.events.EventLog;
import dev.ramp.gateway.metrics.RampMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayDeque;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One webhook's queue and delivery: notifications are posted one at a time, in the order their events were
 * recorded, each attempt bounded by the target's timeout, a failed attempt (no 2xx, refused, timed out)
 * retried after {@code backoff}, doubled each time, until {@code max-attempts}; then it is given up and the
 * next is sent. Each notification ends counted once in {@code ramp_notifications_total}: sent, failed, or
 * dropped when the queue was full as it arrived.
 *
 * <p>Threads: {@link #offer} is called on the recording thread (an event loop, the guard thread) and only
 * counts and hands off; everything else runs on one Vert.x context with a non-blocking client, so a receiver
 * that is down or never answers costs a queue slot, never a thread. Invariant: {@code pending} = queued + in
 * flight &lt;= {@code target.queue()}.
 */
final class WebhookSender {
    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
    /** The longest wait between two attempts, whatever the back-off doubled to. */
    static final long MAX_BACKOFF_MILLIS = 60_000;
    /** A full queue is logged at most this often per webhook; every drop is counted. */
    private static final long DROP_LOG_EVERY_NANOS = 10_000_000_000L;

    private final NotifyTarget target;
    private final Vertx vertx;
    private final Context context;
    private final HttpClient client;
    private final RampMetrics metrics;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong lastDropLog = new AtomicLong(System.nanoTime() - DROP_LOG_EVERY_NANOS);
    private final ArrayDeque<EventLog.Entry> queue = new ArrayDeque<>(); // context only
    private boolean busy; // context only

    WebhookSender(NotifyTarget target, Vertx vertx, Context context, HttpClient client, RampMetrics metrics) {
        this.target = target;
        this.vertx = vertx;
        this.context = context;
        this.client = client;
        this.metrics = metrics;
    }

    NotifyTarget target() {
        return target;
    }

    /** Notifications queued or in flight. */
    int pending() {
        return pending.get();
    }

    /** Queues {@code entry}, or drops and counts it when the queue is full; never blocks. */
    boolean offer(EventLog.Entry entry) {
        if (pending.incrementAndGet() > target.queue()) {
            pending.decrementAndGet();
            metrics.notification(target.name(), "dropped");
            long now = System.nanoTime();
            long last = lastDropLog.get();
            if (now - last >= DROP_LOG_EVERY_NANOS && lastDropLog.compareAndSet(last, now)) {
                log.warn("notify target={} queue full ({} waiting): {} event dropped (ramp_notifications_total"
                         + "{result=\"dropped\"} counts every drop)", target.name(), target.queue(), entry.event().type());
            }
            return false;
        }
        context.runOnContext(v -> {
            queue.addLast(entry);
            next();
        });
        return true;
    }

    private void next() {
        if (busy || queue.isEmpty()) {
            return;
        }
        busy = true;
        EventLog.Entry entry = queue.peekFirst();
        attempt(entry, NotificationBody.of(target.format(), entry), 1);
    }

    private void attempt(EventLog.Entry entry, Buffer body, int attempt) {
        post(body).onComplete(ar -> {
            if (ar.succeeded()) {
                log.debug("notify target={} {} sent (attempt {})", target.name(), entry.event().type(), attempt);
                finish("sent");
            } else if (attempt < target.maxAttempts()) {
                long wait = backoffMillis(attempt);
                log.debug("notify target={} {} attempt {} failed, retry in {} ms: {}", target.name(),
                        entry.event().type(), attempt, wait, ar.cause().getMessage());
                vertx.setTimer(wait, id -> attempt(entry, body, attempt + 1));
            } else {
                log.warn("notify target={} {} given up after {} attempt(s): {}", target.name(), entry.event().type(),
                        attempt, ar.cause().getMessage());
                finish("failed");
            }
        });
    }

    /** The wait after failed attempt {@code attempt} (1-based): backoff, 2 x backoff, 4 x ..., at most a minute. */
    long backoffMillis(int attempt) {
        long base = Math.max(1, target.backoff().toMillis());
        int shift = Math.min(attempt - 1, 30);
        return Math.min(MAX_BACKOFF_MILLIS, base << shift);
    }

    private void finish(String result) {
        queue.pollFirst();
        pending.decrementAndGet();
        metrics.notification(target.name(), result);
        busy = false;
        next();
    }

    /** One POST; succeeds on a 2xx answer read in full within the timeout. */
    private Future<Void> post(Buffer body) {
        long timeout = target.timeout().toMillis();
        Promise<Void> done = Promise.promise();
        HttpClientRequest[] sent = new HttpClientRequest[1];
        long timer = vertx.setTimer(timeout, id -> {
            if (done.tryFail(new TimeoutException("no answer within " + target.timeout().toMillis() + " ms"))
                && sent[0] != null) {
                sent[0].reset();
            }
        });
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(target.url().toString())
                .setConnectTimeout(timeout)
                .setIdleTimeout(timeout)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
                .putHeader(HttpHeaders.USER_AGENT, "ramp-notify");
        target.headers().forEach(options::putHeader);
        client.request(options)
                .compose(request -> {
                    sent[0] = request;
                    return request.send(body);
                })
                .compose(response -> response.body().map(b -> response.statusCode()))
                .onComplete(ar -> {
                    vertx.cancelTimer(timer);
                    if (ar.failed()) {
                        done.tryFail(ar.cause());
                    } else if (ar.result() / 100 != 2) {
                        done.tryFail(new IllegalStateException("answered " + ar.result()));
                    } else {
                        done.tryComplete();
                    }
                });
        return done.future();
    }
}
