package dev.ramp.gateway.proxy.netty;

import dev.ramp.gateway.proxy.AccessLog;
import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.proxy.http1.RequestTarget;
import dev.ramp.gateway.routing.Version;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;

/**
 * Builds the data path's {@link AccessLog.Entry}s, so the handlers call one line at the end of a request.
 * Each method is called only when the snapshot has an access log: with the log off nothing here runs.
 */
final class AccessLogging {
    private static final AsciiString TRACEPARENT = AsciiString.cached("traceparent");

    private AccessLogging() {}

    /** A request an {@link Exchange} answered (relayed, or with the error its upstream's failure maps to). */
    static void exchange(AccessLog log, String client, HttpRequest request, LiveRoute route, Version servedBy,
                         int status, long startNanos, long upstreamNanos, boolean fallback, long bytesOut) {
        log.log(new AccessLog.Entry(System.currentTimeMillis(), client, request.method().name(),
                RequestTarget.path(request.uri()), status, route.name(), servedBy,
                servedBy == null ? null : route.upstream(servedBy).version(),
                startNanos == 0 ? 0 : System.nanoTime() - startNanos, upstreamNanos, fallback,
                request.headers().get(TRACEPARENT), bytesOut));
    }

    /** A request the gateway answered itself before any route took it (no route, bad request, CONNECT). */
    static void answered(AccessLog log, String client, HttpRequest request, String route, int status) {
        log.log(new AccessLog.Entry(System.currentTimeMillis(), client, request.method().name(),
                RequestTarget.path(request.uri()), status, route, null, null, 0, -1, false, null, 0));
    }
}
