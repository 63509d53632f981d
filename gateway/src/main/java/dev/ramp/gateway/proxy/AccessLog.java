package dev.ramp.gateway.proxy;

import dev.ramp.gateway.routing.Version;

/**
 * Where the data path reports each answered request when {@code ramp.access-log} is on. The routing snapshot
 * carries it ({@link RoutingSnapshot#accessLog()}, null when the log is off, so a request with the log off
 * builds nothing). Called on event loops: must hand the entry off and return at once, never block; when it
 * cannot keep up it drops entries and counts them.
 */
@FunctionalInterface
public interface AccessLog {

    /** One answered request. */
    void log(Entry entry);

    /**
     * One request as the access log writes it (docs/operations.md, "Access log").
     *
     * @param epochMillis when its answer ended, wall clock
     * @param client the client's address
     * @param method the request method
     * @param path the request path, without the query
     * @param status the status the client got
     * @param route the route that took it; null when none did
     * @param role the version that served it; null when the gateway answered itself
     * @param version that upstream's configured version; null with {@code role}
     * @param durationNanos from the first attempt's start to the answer's end; 0 when the gateway answered itself
     * @param upstreamNanos summed over the request's upstream attempts; -1 when none was made
     * @param fallback whether a canary-bound request was served by stable instead
     * @param traceparent the W3C {@code traceparent} sent upstream; null when none was
     * @param bytesOut body bytes sent to the client
     */
    record Entry(long epochMillis, String client, String method, String path, int status, String route,
                 Version role, String version, long durationNanos, long upstreamNanos, boolean fallback,
                 String traceparent, long bytesOut) {}
}
