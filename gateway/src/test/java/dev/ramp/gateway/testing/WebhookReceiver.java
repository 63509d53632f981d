package dev.ramp.gateway.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A real HTTP server on port 0 that receives webhook posts and records them. How it answers the n-th request
 * (1-based) is a {@link Behaviour}: answer a status, drop the connection, or never answer.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** What the receiver does with one request. */
    public enum Behaviour { OK, FAIL_503, DROP_CONNECTION, NEVER_ANSWER }

    /** A request received: its body as JSON and its headers. */
    public record Received(JsonObject body, Map<String, String> headers, long atNanos) {}

    private final Vertx vertx;
    private final HttpServer server;
    private final int port;
    private final AtomicInteger requests = new AtomicInteger();
    private final List<Received> answered = new CopyOnWriteArrayList<>();
    private final List<Received> all = new CopyOnWriteArrayList<>();
    private volatile IntFunction<Behaviour> behaviour;

    public WebhookReceiver(Vertx vertx, IntFunction<Behaviour> behaviour) throws Exception {
        this.vertx = vertx;
        this.behaviour = behaviour;
        this.server = vertx.createHttpServer().requestHandler(this::handle);
        this.port = server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
    }

    private void handle(HttpServerRequest req) {
        int n = requests.incrementAndGet();
        Behaviour b = behaviour.apply(n);
        req.body().onSuccess(buf -> {
            Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            req.headers().forEach(e -> headers.put(e.getKey(), e.getValue()));
            Received r = new Received(buf.length() == 0 ? new JsonObject() : buf.toJsonObject(), headers, System.nanoTime());
            all.add(r);
            switch (b) {
                case OK -> {
                    answered.add(r);
                    req.response().setStatusCode(200).end("ok");
                }
                case FAIL_503 -> req.response().setStatusCode(503).end("try later");
                case DROP_CONNECTION -> req.connection().close();
                case NEVER_ANSWER -> { } // the client's timeout is the only way out
            }
        });
    }

    public void behave(IntFunction<Behaviour> next) {
        behaviour = next;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Requests received, answered or not. */
    public int requests() {
        return requests.get();
    }

    /** Posts answered 200, in arrival order. */
    public List<Received> delivered() {
        return List.copyOf(answered);
    }

    /** Every post, answered or not. */
    public List<Received> received() {
        return List.copyOf(all);
    }

    @Override
    public void close() throws Exception {
        server.close().await(10, TimeUnit.SECONDS);
    }
}
