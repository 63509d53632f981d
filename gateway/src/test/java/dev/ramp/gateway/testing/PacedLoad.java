package dev.ramp.gateway.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Open-model load for integration tests: GETs with random user ids at a fixed rate, bounded in time, each
 * answer recorded with when it was sent and which version served it ({@code X-Ramp-Version}).
 */
public final class PacedLoad implements AutoCloseable {
    /** One answer: sent at (nanoTime), status, version header (or null). */
    public record Answer(long sentNanos, int status, String version) {}

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    public final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final AtomicLong sent = new AtomicLong();

    /** Starts sending {@code perSecond} requests a second to {@code url} for at most {@code limit}. */
    public static PacedLoad start(String url, int perSecond, Duration limit) {
        PacedLoad load = new PacedLoad();
        long periodMicros = 1_000_000L / perSecond;
        long deadline = System.nanoTime() + limit.toNanos();
        load.timer.scheduleAtFixedRate(() -> {
            if (System.nanoTime() > deadline) {
                load.timer.shutdown();
                return;
            }
            long n = load.sent.incrementAndGet();
            long at = System.nanoTime();
            HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                    .header("X-User-Id", "load-" + n).build();
            load.http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) ->
                    load.answers.add(new Answer(at, r == null ? -1 : r.statusCode(),
                            r == null ? null : r.headers().firstValue("X-Ramp-Version").orElse(null))));
        }, 0, periodMicros, TimeUnit.MICROSECONDS);
        return load;
    }

    /** The last time (nanoTime) a request sent so far was answered by the canary; 0 if never. */
    public long lastCanarySentNanos() {
        return answers.stream().filter(a -> "canary".equals(a.version())).mapToLong(Answer::sentNanos).max().orElse(0);
    }

    public long count(String version) {
        return answers.stream().filter(a -> version.equals(a.version())).count();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
