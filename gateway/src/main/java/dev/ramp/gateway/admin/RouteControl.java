package dev.ramp.gateway.admin;

import dev.ramp.gateway.events.EventLog;
import dev.ramp.gateway.metrics.RampMetrics;
import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.proxy.RoutingSnapshot;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * The operator's kill switch behind {@code POST /api/routes/{name}/revert} and {@code .../resume}. The
 * guard implements it with persistent latches; results are the JSON body of the 200 answer. A future
 * failed with {@link UnknownRouteException} becomes a 404.
 */
public interface RouteControl {

    /** Takes the canary out of traffic (effective weight 0 %) for {@code reason} ("manual" from the API). */
    Future<JsonObject> revert(String route, String reason);

    /** Puts the canary back at its configured weight. */
    Future<JsonObject> resume(String route);

}
