package dev.ramp.gateway.admin;

import static dev.ramp.gateway.admin.AdminResponses.json;

import dev.ramp.gateway.metrics.RampMetrics;
import dev.ramp.gateway.proxy.RoutingSnapshot;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /health/live}, {@code /health/ready} and {@code /metrics}: what balancers and Prometheus poll.
 * The scrape, which grows with the number of series, runs on a worker; the rest on the event loop.
 */
final class HealthHandlers {
    private static final Logger log = LoggerFactory.getLogger(HealthHandlers.class);

    private final Vertx vertx;
    private final RampMetrics metrics;
    private final Supplier<RoutingSnapshot> snapshot;
    private final BooleanSupplier ready;
    private final Supplier<JsonObject> cluster;

    HealthHandlers(Vertx vertx, RampMetrics metrics, Supplier<RoutingSnapshot> snapshot, BooleanSupplier ready,
                   Supplier<JsonObject> cluster) {
        this.cluster = cluster;
        this.vertx = vertx;
        this.metrics = metrics;
        this.snapshot = snapshot;
        this.ready = ready;
    }

    /** Always 200 while the process answers at all. */
    void live(RoutingContext ctx) {
        json(ctx, 200, new JsonObject().put("status", "up"));
    }

    /**
     * 200 once a config is loaded and the traffic listener is up; 503 while starting or draining. With
     * replicas, {@code details.cluster} says whether Redis answers; a replica that lost it still serves on
     * the state it knew, so it stays ready.
     */
    void ready(RoutingContext ctx) {
        if (ready.getAsBoolean() && snapshot.get() != null) {
            JsonObject body = new JsonObject().put("status", "ready");
            JsonObject c = cluster.get();
            if (c != null) {
                body.put("details", new JsonObject().put("cluster", c));
            }
            json(ctx, 200, body);
        } else {
            json(ctx, 503, new JsonObject().put("status", "not_ready")
                    .put("message", "config not loaded or traffic listener not up (starting or draining)"));
        }
    }

    /** The Prometheus text exposition, scraped on a worker thread. */
    void metrics(RoutingContext ctx) {
        vertx.executeBlocking(metrics::scrape, false).onComplete(ar -> {
            HttpServerResponse res = ctx.response();
            if (res.ended() || res.closed()) {
                return;
            }
            if (ar.failed()) {
                log.warn("metrics scrape failed: {}", String.valueOf(ar.cause()));
                AdminResponses.internalError(ctx, null, "scrape failed: " + ar.cause().getMessage());
                return;
            }
            res.setStatusCode(200)
                    .putHeader(HttpHeaders.CONTENT_TYPE, AdminServer.METRICS_CONTENT_TYPE)
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                    .end(Buffer.buffer(ar.result(), "UTF-8"));
        });
    }
}
