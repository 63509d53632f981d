package dev.ramp.gateway.admin;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The one place that writes admin answers: JSON bodies with {@code Cache-Control: no-store}, and every error
 * as {@code {"error", "message"}} (plus {@code "route"} when one is named), per docs/admin-api.md.
 * Writing to a response that is already answered or closed does nothing.
 */
final class AdminResponses {
    /** Paths in error bodies and log lines are cut to this many characters. */
    private static final int MAX_ECHO = 120;
    /** How long, and how many more body bytes, a refused request's rest is read before its connection closes. */
    private static final long LINGER_MILLIS = 2000;
    private static final long LINGER_BYTES = 1 << 20;

    private AdminResponses() {}

    /** {@code 200}-style JSON answer; null if the response was already written or closed. */
    static Future<Void> json(RoutingContext ctx, int status, Object body) {
        HttpServerResponse res = ctx.response();
        if (res.headWritten() || res.ended() || res.closed()) {
            return null;
        }
        Buffer b = body instanceof JsonArray a ? a.toBuffer() : ((JsonObject) body).toBuffer();
        return res.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(b);
    }

    /** {@code {"error": code, ["route": route,] "message": message}}; null if already answered. */
    static Future<Void> error(RoutingContext ctx, int status, String code, String route, String message) {
        JsonObject body = new JsonObject().put("error", code);
        if (route != null) {
            body.put("route", route);
        }
        return json(ctx, status, body.put("message", message));
    }

    /** 404 for a path no endpoint serves, listing the endpoints there are. */
    static void notFound(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        error(ctx, 404, "not_found", null, "no admin endpoint " + req.method() + " " + clip(req.path())
                + " (expected: GET /metrics, /health/live, /health/ready, /api/status, /api/events;"
                + " POST /api/routes/{name}/revert or /resume, /api/alerts)");
    }

    /** 405 with {@code Allow} for a known path asked with another method. */
    static void methodNotAllowed(RoutingContext ctx, HttpMethod expected) {
        HttpServerRequest req = ctx.request();
        ctx.response().putHeader(HttpHeaders.ALLOW, expected.name());
        error(ctx, 405, "method_not_allowed", null, req.method() + " " + clip(req.path()) + " (expected: "
                + expected.name() + ")");
    }

    /** 413, then the connection is closed: the rest of an oversized body is not worth reading. */
    static void payloadTooLarge(RoutingContext ctx, int maxBodyBytes) {
        HttpServerRequest req = ctx.request();
        Future<Void> sent = error(ctx, 413, "payload_too_large", null,
                "admin requests carry at most " + maxBodyBytes + " bytes of body");
        if (sent == null) {
            return;
        }
        // A lingering close, as nginx's: the 413 may go out while the client is still sending its body, and a
        // close with unread bytes resets the connection before the client reads the answer. So the rest of the
        // body is read and dropped, for a bounded time and size, before the connection is closed.
        Runnable close = () -> req.connection().close();
        long timer = ctx.vertx().setTimer(LINGER_MILLIS, t -> close.run());
        long[] drained = {0};
        try {
            req.handler(b -> {
                drained[0] += b.length();
                if (drained[0] > LINGER_BYTES) {
                    close.run();
                }
            });
            req.endHandler(v -> sent.onComplete(x -> {
                ctx.vertx().cancelTimer(timer);
                close.run();
            }));
            req.resume();
        } catch (IllegalStateException alreadyRead) {
            ctx.vertx().cancelTimer(timer);
            sent.onComplete(x -> close.run());
        }
    }

    /** 500 naming what failed; the cause is logged by the caller. */
    static void internalError(RoutingContext ctx, String route, String message) {
        error(ctx, 500, "internal_error", route, message);
    }

    /** Echoed request text is bounded, so a long path cannot blow up an error body or a log line. */
    static String clip(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= MAX_ECHO ? s : s.substring(0, MAX_ECHO) + "...";
    }
}
