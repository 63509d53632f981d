package dev.ramp.gateway.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A small, fast demo upstream (stable or canary) that answers JSON naming its version. It has a fault
 * switch so demos and load tests can make it misbehave over HTTP:
 * <pre>
 *   POST /_demo/fault {"mode": "ok" | "status" | "reset" | "hang", "status": 503, "rate": 0.05, "delayMs": 100}
 *   GET  /_demo/fault   current fault and the number of requests served
 * </pre>
 * {@code rate} is the share of requests affected (default 1.0); {@code delayMs} adds latency to every
 * answer. {@code "refuse"} closes the traffic listener so connections are refused; any other mode
 * re-opens it. The switch is served on the traffic port and on a separate control port, which stays up
 * while the traffic port refuses.
 */
public final class DemoUpstream {

    /** A fault setting; immutable, swapped atomically. */
    public record Fault(String mode, int status, double rate, long delayMs) {
        static final Fault OK = new Fault("ok", 200, 0, 0);

        public static Fault parse(JsonObject json) {
            String mode = json.getString("mode", "ok");
            if (!java.util.Set.of("ok", "status", "reset", "hang", "refuse").contains(mode)) {
                throw new IllegalArgumentException(
                        "mode: \"" + mode + "\" (expected: ok, status, reset, hang or refuse)");
            }
            int status = json.getInteger("status", 500);
            if (status < 100 || status > 599) {
                throw new IllegalArgumentException("status: " + status + " (expected: 100..599)");
            }
            double rate = json.getDouble("rate", 1.0);
            if (rate < 0 || rate > 1) {
                throw new IllegalArgumentException("rate: " + rate + " (expected: 0..1)");
            }
            long delay = json.getLong("delayMs", 0L);
            if (delay < 0 || delay > 600_000) {
                throw new IllegalArgumentException("delayMs: " + delay + " (expected: 0..600000)");
            }
            return new Fault(mode, status, rate, delay);
        }

        JsonObject toJson() {
            return new JsonObject().put("mode", mode).put("status", status).put("rate", rate).put("delayMs", delayMs);
        }
    }

    private final String role;
    private final String version;
    private final AtomicReference<Fault> fault = new AtomicReference<>(Fault.OK);
    private final AtomicLong served = new AtomicLong();
    private Vertx vertx;
    private String host;
    private int port;
    private HttpServer server;
    private HttpServer control;

    public DemoUpstream(String role, String version) {
        this.role = role;
        this.version = version;
    }

    /** Listens on host:port (0 = ephemeral); completes with the bound port. */
    public Future<Integer> start(Vertx vertx, String host, int port) {
        this.vertx = vertx;
        this.host = host;
        return listen(port).map(p -> this.port = p);
    }

    /** Also serves the fault switch on its own port, which stays up while the traffic port refuses. */
    public Future<Integer> startControl(String host, int port) {
        control = vertx.createHttpServer().requestHandler(this::control);
        return control.listen(port, host).map(HttpServer::actualPort);
    }

    private Future<Integer> listen(int p) {
        server = vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true).setIdleTimeout(0))
                .requestHandler(this::handle);
        return server.listen(p, host).map(HttpServer::actualPort);
    }

    public int port() {
        return port;
    }

    public Future<Void> stop() {
        Future<Void> c = control == null ? Future.succeededFuture() : control.close();
        return Future.join(c, server == null ? Future.succeededFuture() : server.close()).mapEmpty();
    }

    public long served() {
        return served.get();
    }

    /** Sets the fault; "refuse" closes the traffic listener, any other mode re-opens it. */
    public Future<Void> fault(Fault f) {
        Fault old = fault.getAndSet(f);
        if (f.mode.equals("refuse") && !old.mode.equals("refuse")) {
            return server.close();
        }
        if (!f.mode.equals("refuse") && old.mode.equals("refuse")) {
            return listen(port).mapEmpty();
        }
        return Future.succeededFuture();
    }

    private void handle(HttpServerRequest req) {
        if (req.path().equals("/_demo/fault")) {
            control(req);
            return;
        }
        served.incrementAndGet();
        Fault f = fault.get();
        boolean hit = f.rate >= 1.0 || (f.rate > 0 && ThreadLocalRandom.current().nextDouble() < f.rate);
        if (hit && f.mode.equals("reset")) {
            req.connection().close();
            return;
        }
        if (hit && f.mode.equals("hang")) {
            return; // never answers
        }
        int status = hit && f.mode.equals("status") ? f.status : 200;
        // Drain any request body, then answer.
        req.body().onComplete(ar -> {
            Buffer body = Buffer.buffer("{\"version\":\"" + role + "\",\"build\":\"" + version + "\",\"status\":" + status + "}");
            Runnable answer = () -> req.response()
                    .setStatusCode(status)
                    .putHeader("content-type", "application/json")
                    .putHeader("content-length", String.valueOf(body.length()))
                    .end(body);
            if (f.delayMs > 0) {
                vertx.setTimer(f.delayMs, id -> answer.run());
            } else {
                answer.run();
            }
        });
    }

    private void control(HttpServerRequest req) {
        if (req.method().name().equals("GET")) {
            json(req, 200, fault.get().toJson().put("served", served.get()).put("role", role).put("build", version));
            return;
        }
        req.body().onComplete(ar -> {
            try {
                Fault f = Fault.parse(ar.result().length() == 0 ? new JsonObject() : ar.result().toJsonObject());
                fault(f).onComplete(done -> {
                    if (done.succeeded()) {
                        json(req, 200, f.toJson());
                    } else {
                        json(req, 500, new JsonObject().put("error", "fault_switch_failed")
                                .put("message", String.valueOf(done.cause())));
                    }
                });
            } catch (IllegalArgumentException | DecodeException e) {
                json(req, 400, new JsonObject().put("error", "bad_fault").put("message", e.getMessage()));
            }
        });
    }

    private static void json(HttpServerRequest req, int status, JsonObject body) {
        req.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
    }
}
