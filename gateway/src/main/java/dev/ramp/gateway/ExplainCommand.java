package dev.ramp.gateway;

import dev.ramp.gateway.admin.ExplainJson;
import dev.ramp.gateway.config.GatewayConfig;
import dev.ramp.gateway.proxy.ExplainRequest;
import dev.ramp.gateway.proxy.Explanation;
import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.proxy.RouteDecision;
import dev.ramp.gateway.proxy.RoutingSnapshot;
import dev.ramp.gateway.routing.Reason;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code explain}: which version a request would get on a route of a config file, and why, offline (no gateway
 * running, e.g. on an operator's laptop), by {@link RouteDecision#explain} as {@code GET /api/routes/{name}/explain}
 * answers it (docs/targeting.md). The route is taken as serving unless {@code --reverted} says otherwise. Exit
 * codes: 0 answered, 2 invalid config, unknown route or bad option.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Which version a request would get on a route, and why (override, ring, rule, bucket, reverted).")
final class ExplainCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "HOCON or JSON config file")
    Path config;

    @Option(names = "--route", required = true, paramLabel = "NAME", description = "the route's name")
    String route;

    @Option(names = "--user", paramLabel = "ID", description = "the user id (else the user header or identity cookie given)")
    String user;

    @Option(names = "--header", paramLabel = "NAME=VALUE", description = "a request header (repeatable)")
    Map<String, String> headers = new LinkedHashMap<>();

    @Option(names = "--cookie", paramLabel = "NAME=VALUE", description = "a cookie (repeatable)")
    Map<String, String> cookies = new LinkedHashMap<>();

    @Option(names = "--query", paramLabel = "NAME=VALUE", description = "a query parameter (repeatable)")
    Map<String, String> query = new LinkedHashMap<>();

    @Option(names = "--source", paramLabel = "IP", description = "the client's address")
    String source;

    @Option(names = "--path", paramLabel = "PATH", description = "the request path (default: the route's path prefix)")
    String path;

    @Option(names = "--reverted", description = "decide as if the route were reverted")
    boolean reverted;

    @Option(names = "--json", description = "print the admin API's JSON answer instead of text")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        GatewayConfig c = Main.loadOrReport(config, err);
        if (c == null) {
            return Main.EXIT_INVALID;
        }
        List<LiveRoute> routes = c.routes().stream().map(rc -> new LiveRoute(rc, null)).toList();
        RoutingSnapshot snapshot = new RoutingSnapshot(c, routes);
        LiveRoute r = snapshot.route(route);
        if (r == null) {
            err.println("error: no route named \"" + route + "\" in " + config + " (expected one of: "
                        + String.join(", ", c.routes().stream().map(rc -> rc.name()).toList()) + ")");
            err.flush();
            return Main.EXIT_INVALID;
        }
        if (reverted) {
            r.state().revert();
        }
        Explanation e;
        try {
            e = RouteDecision.explain(snapshot, r, new ExplainRequest(user, headers, cookies, query, source, path));
        } catch (IllegalArgumentException ex) {
            err.println("error: " + ex.getMessage());
            err.flush();
            return Main.EXIT_INVALID;
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(ExplainJson.of(e).encode());
        } else {
            out.println(e.route() + ": " + e.version().tag() + " (" + reason(e) + ")");
            out.println("  identity " + e.identity()
                        + (e.freshIdentity() ? " (none given: a fresh one, as for a new visitor)" : "")
                        + ", bucket " + e.bucket() + ", weight " + e.weight()
                        + (e.reason() == Reason.BUCKET || e.reason() == Reason.RULE && e.rule().weight() != null
                           ? " (canary iff bucket < " + e.weight().basisPoints() + ")" : ""));
        }
        out.flush();
        return Main.EXIT_OK;
    }

    private static String reason(Explanation e) {
        return switch (e.reason()) {
            case OVERRIDE -> "override: the trusted override header";
            case REVERTED -> "reverted: the route is reverted, everyone gets stable";
            case RING -> "ring: the user is in " + e.version().tag() + "-users";
            case RULE -> "rule " + e.ruleIndex() + ": " + e.rule();
            case BUCKET -> "bucket: no rule matched, the route weight applies";
        };
    }
}
