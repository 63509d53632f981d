package dev.ramp.gateway.config;

import java.time.Duration;

/**
 * What one client may take of the traffic listener ({@code ramp.listen.limits}): slow or greedy clients are
 * cut off instead of holding connections (and upstream connections) for minutes; and how many connections
 * the gateway opens to one upstream origin, so a flood of slow requests cannot open one per client. Read at
 * start.
 *
 * @param headerTimeout  the whole request head must arrive within this (slowloris)
 * @param bodyTimeout    the longest gap between two reads of a request body
 * @param maxHeaderCount more header fields in a request head: 431
 * @param maxConnections open client connections over the whole listener; more are closed at accept
 * @param maxConnectionsPerIp open client connections from one address; more are closed at accept
 * @param maxUpstreamConnections open connections to one upstream origin from one event loop
 * @param upstreamWait how long a request waits for one of those to come free before it fails (504)
 */
public record Limits(Duration headerTimeout, Duration bodyTimeout, int maxHeaderCount, int maxConnections,
                     int maxConnectionsPerIp, int maxUpstreamConnections, Duration upstreamWait) {}
