package dev.ramp.gateway.config;

import java.time.Duration;

/**
 * What one client may take of the traffic listener ({@code ramp.listen.limits}): slow or greedy clients are
 * cut off instead of holding connections (and upstream connections) for minutes. Read at start.
 *
 * @param headerTimeout  the whole request head must arrive within this (slowloris)
 * @param bodyTimeout    the longest gap between two reads of a request body
 * @param maxHeaderCount more header fields in a request head: 431
 * @param maxConnections open client connections over the whole listener; more are closed at accept
 * @param maxConnectionsPerIp open client connections from one address; more are closed at accept
 */
public record Limits(Duration headerTimeout, Duration bodyTimeout, int maxHeaderCount, int maxConnections,
                     int maxConnectionsPerIp) {}
