package dev.ramp.gateway.admin;

import static dev.ramp.gateway.admin.AdminResponses.clip;
import static dev.ramp.gateway.admin.AdminResponses.error;
import static dev.ramp.gateway.admin.AdminResponses.json;

import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.proxy.RoutingSnapshot;
import dev.ramp.gateway.rollout.RolloutConflict;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kill switch, {@code POST /api/routes/:name/revert} and {@code .../resume}, and the rollout plan's
 * commands, {@code POST /api/routes/:name/rollout/pause|continue|next|abort}, behind the bearer token.
 * The token is read from the current config on each request, so a reload that changes it takes effect at
 * once; no token configured means every POST is refused with 403 saying how to set one.
 */
final class RouteActions {
    private static final Logger log = LoggerFactory.getLogger(RouteActions.class);

    private final Supplier<RoutingSnapshot> snapshot;
    private final RouteControl control;
    private final StatusHandlers status;

    RouteActions(Supplier<RoutingSnapshot> snapshot, RouteControl control, StatusHandlers status) {
        this.snapshot = snapshot;
        this.control = control;
        this.status = status;
    }

    void revert(RoutingContext ctx) {
        act(ctx, "revert");
    }

    void resume(RoutingContext ctx) {
        act(ctx, "resume");
    }

    /** {@code POST /api/routes/:name/rollout/pause|continue|next|abort}. */
    void rollout(RoutingContext ctx, String command) {
        act(ctx, "rollout/" + command);
    }

    private void act(RoutingContext ctx, String action) {
        if (!authorized(ctx)) {
            return;
        }
        String name = ctx.pathParam("name");
        LiveRoute route = snapshot.get().route(name);
        if (route == null) {
            unknownRoute(ctx, name);
            return;
        }
        Future<Boolean> result;
        try {
            result = action.equals("revert") ? control.revert(name, "manual")
                    : action.equals("resume") ? control.resume(name)
                    : control.rollout(name, action.substring("rollout/".length()));
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        result.onComplete(ar -> {
            if (ar.succeeded()) {
                json(ctx, 200, status.route(route, ar.result()));
            } else if (ar.cause() instanceof UnknownRouteException) {
                unknownRoute(ctx, name);
            } else if (ar.cause() instanceof RolloutConflict c) {
                error(ctx, 409, "rollout_conflict", name, c.getMessage());
            } else {
                log.warn("route={} {} failed: {}", name, action, String.valueOf(ar.cause()));
                AdminResponses.internalError(ctx, name, action + " failed: " + ar.cause().getMessage());
            }
        });
    }

    private void unknownRoute(RoutingContext ctx, String name) {
        error(ctx, 404, "unknown_route", clip(name), "no route named \"" + clip(name) + "\" (configured: "
                + String.join(", ", snapshot.get().routes().stream().map(LiveRoute::name).toList()) + ")");
    }

    /** Bearer token check, constant-time; answers 403 when no token is configured, 401 when it does not match. */
    boolean authorized(RoutingContext ctx) {
        Optional<String> token = snapshot.get().config().admin().token();
        if (token.isEmpty()) {
            error(ctx, 403, "admin_token_not_configured", null, "POST endpoints are disabled until an admin token"
                    + " is configured: set ramp.admin.token, e.g. token = ${?RAMP_ADMIN_TOKEN} in the config and"
                    + " RAMP_ADMIN_TOKEN in the environment, then send Authorization: Bearer <token>");
            return false;
        }
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).trim() : null;
        if (given == null || !sameSecret(token.get(), given)) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"ramp-admin\"");
            error(ctx, 401, "unauthorized", null, given == null
                    ? "missing Authorization: Bearer <token> (the value of ramp.admin.token)"
                    : "wrong bearer token");
            return false;
        }
        return true;
    }

    /** Compares digests so neither the content nor the length of the token leaks through timing. */
    static boolean sameSecret(String expected, String given) {
        try {
            MessageDigest a = MessageDigest.getInstance("SHA-256");
            MessageDigest b = MessageDigest.getInstance("SHA-256");
            return MessageDigest.isEqual(a.digest(expected.getBytes(StandardCharsets.UTF_8)),
                    b.digest(given.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required on every JVM", e);
        }
    }
}
