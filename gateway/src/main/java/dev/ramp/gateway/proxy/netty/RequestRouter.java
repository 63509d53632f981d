package dev.ramp.gateway.proxy.netty;

import dev.ramp.gateway.config.RouteConfig;
import dev.ramp.gateway.proxy.Failures;
import dev.ramp.gateway.proxy.GatewayError;
import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.proxy.RouteDecision;
import dev.ramp.gateway.proxy.RoutingSnapshot;
import dev.ramp.gateway.proxy.http1.Cookies;
import dev.ramp.gateway.proxy.http1.FlatHeaders;
import dev.ramp.gateway.proxy.http1.Headers;
import dev.ramp.gateway.proxy.http1.RequestTarget;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;

/**
 * What happens to one request head on a client connection (or HTTP/2 stream): the gateway's own refusals
 * (CONNECT, a target that contradicts Host, no route), the route, the version the user gets
 * ({@link RouteDecision}, with targeting rules reading {@link DataPathFacts}), then an {@link Exchange} started
 * on its {@link FrontHandler}. Holds what a connection's requests share: its peer, whether the peer is trusted
 * under the current snapshot, the last Host parsed. One per connection, confined to its event loop; nothing is
 * allocated per request here besides the exchange.
 */
final class RequestRouter {
    private final FrontHandler front;
    private final Loop loop;
    private final String peer;
    /** The peer address as bytes ready to encode (X-Forwarded-For), made once per connection. */
    private final AsciiString peerHeader;
    private RoutingSnapshot trustedFor;
    private boolean trusted;
    /** The last request's Host header on this connection and its host part: a keep-alive client repeats it. */
    private final RequestTarget.HostCache hosts = new RequestTarget.HostCache();
    /** What targeting rules read of the current request, re-pointed per request. */
    private final DataPathFacts facts = new DataPathFacts();

    RequestRouter(FrontHandler front, Loop loop, String peer) {
        this.front = front;
        this.loop = loop;
        this.peer = peer;
        this.peerHeader = peer == null ? null : new AsciiString(peer);
    }

    /** Routes the request, decides its version ({@link RouteDecision}) and starts its exchange, or answers it. */
    void route(HttpRequest req) {
        RoutingSnapshot snap = loop.snapshot.get();
        HttpHeaders h = req.headers();
        CharSequence hostValue = ((FlatHeaders) h).firstValue(HttpHeaderNames.HOST);
        String host = hosts.host(hostValue);
        String path = RequestTarget.path(req.uri());
        boolean keepAlive = Headers.keepAlive(req);
        boolean bodyFollows = !(req instanceof LastHttpContent);
        if (req.method() == HttpMethod.CONNECT) {
            gatewayAnswer(req, keepAlive, bodyFollows, snap, GatewayError.METHOD_NOT_ALLOWED,
                    "CONNECT is not supported: Ramp is a reverse proxy, not a tunnel");
            return;
        }
        String mismatch = RequestTarget.toOriginForm(req, hostValue);
        if (mismatch != null) {
            gatewayAnswer(req, keepAlive, bodyFollows, snap, GatewayError.BAD_REQUEST, mismatch);
            return;
        }
        LiveRoute route = path == null ? null : snap.table().match(host, path);
        if (route == null) {
            gatewayAnswer(req, keepAlive, bodyFollows, snap, GatewayError.NO_ROUTE, Failures.noRouteMessage(host, path));
            return;
        }
        if (snap != trustedFor) {
            trustedFor = snap;
            trusted = snap.trusted(peer);
        }
        RouteConfig rc = route.config();
        CharSequence identity = ((FlatHeaders) h).firstValue(rc.sticky().userHeader());
        if (identity == null || identity.length() == 0) {
            identity = Cookies.value(h, rc.sticky().cookie());
        }
        RouteDecision decision = RouteDecision.decide(route, trusted, h.get(rc.override().header()), identity,
                facts.of((FlatHeaders) h, req.uri(), path, peer, trusted, snap));
        if (decision.rejected()) {
            front.answer(req, keepAlive, bodyFollows, GatewayError.BAD_REQUEST, route.name(), decision.rejection());
            route.observer().onClientResponse(null, GatewayError.BAD_REQUEST.status());
            if (snap.accessLog() != null) {
                AccessLogging.answered(snap.accessLog(), peer, req, route.name(), GatewayError.BAD_REQUEST.status());
            }
            return;
        }
        if (h.contains(HttpHeaderNames.EXPECT) && io.netty.handler.codec.http.HttpUtil.is100ContinueExpected(req)) {
            front.writeContinue();
        }
        Exchange e = new Exchange(front, req, route, decision.newIdentity(), keepAlive);
        e.mirror = route.mirror() == null ? null : Mirror.sample(route, req, decision, identity);
        front.begin(e);
        e.start(decision.version(), trusted, peerHeader, hostValue);
    }

    /** An answer to a request no route takes, counted as such. */
    private void gatewayAnswer(HttpRequest req, boolean keepAlive, boolean bodyFollows, RoutingSnapshot snap,
                               GatewayError error, String message) {
        front.answer(req, keepAlive, bodyFollows, error, null, message);
        snap.unrouted().onClientResponse(null, error.status());
        if (snap.accessLog() != null) {
            AccessLogging.answered(snap.accessLog(), peer, req, null, error.status());
        }
    }
}
