package dev.ramp.gateway.proxy.netty;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The traffic listener's connection limits, shared by its event loops: connections over the whole listener
 * and per client address ({@code ramp.listen.limits.max-connections}, {@code max-connections-per-ip}). A
 * connection over either is closed at accept and counted by reason.
 */
final class ConnectionLimits {
    private final int max;
    private final int perIp;
    private final Consumer<String> rejected;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> byIp = new ConcurrentHashMap<>();

    /** @param rejected told {@code max_connections} or {@code max_connections_per_ip} for each refusal */
    ConnectionLimits(int max, int perIp, Consumer<String> rejected) {
        this.max = max;
        this.perIp = perIp;
        this.rejected = rejected;
    }

    /** Admits a new connection from {@code ip} (null: unknown); false, and the refusal counted, when over a limit. */
    boolean admit(String ip) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            rejected.accept("max_connections");
            return false;
        }
        if (ip != null) {
            boolean[] ok = {true};
            byIp.compute(ip, (k, n) -> {
                int c = n == null ? 0 : n;
                if (c >= perIp) {
                    ok[0] = false;
                    return n;
                }
                return c + 1;
            });
            if (!ok[0]) {
                open.decrementAndGet();
                rejected.accept("max_connections_per_ip");
                return false;
            }
        }
        return true;
    }

    /** An admitted connection from {@code ip} closed. */
    void release(String ip) {
        open.decrementAndGet();
        if (ip != null) {
            byIp.computeIfPresent(ip, (k, n) -> n <= 1 ? null : n - 1);
        }
    }
}
