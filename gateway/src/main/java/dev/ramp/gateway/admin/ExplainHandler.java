package dev.ramp.gateway.admin;

import dev.ramp.gateway.proxy.ExplainRequest;
import dev.ramp.gateway.proxy.Explanation;
import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.proxy.RouteDecision;
import dev.ramp.gateway.proxy.RoutingSnapshot;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * {@code GET /api/routes/{name}/explain?user=ID&header.NAME=V&cookie.NAME=V&query.NAME=V&source=IP&path=P}:
 * which version such a request would get now, and why (docs/targeting.md), computed by
 * {@link RouteDecision#explain}, the decision the data path runs. Read-only, so no token. Does not count rule
 * matches: asking is not traffic.
 */
final class ExplainHandler {
    private final Supplier<RoutingSnapshot> snapshot;

    ExplainHandler(Supplier<RoutingSnapshot> snapshot) {
        this.snapshot = snapshot;
    }

    void explain(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        RoutingSnapshot snap = snapshot.get();
        LiveRoute route = snap.route(name);
        if (route == null) {
            AdminResponses.error(ctx, 404, "unknown_route", AdminResponses.clip(name), "no route named "
                    + AdminResponses.clip(name));
            return;
        }
        Explanation e;
        try {
            e = RouteDecision.explain(snap, route, ExplainRequest.fromParameters(ctx.queryParams().entries()));
        } catch (IllegalArgumentException ex) {
            AdminResponses.error(ctx, 400, "bad_request", route.name(), ex.getMessage());
            return;
        }
        AdminResponses.json(ctx, 200, ExplainJson.of(e));
    }
}
