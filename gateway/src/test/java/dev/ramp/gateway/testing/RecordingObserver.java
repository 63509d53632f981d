package dev.ramp.gateway.testing;

import dev.ramp.gateway.config.RouteConfig;
import dev.ramp.gateway.guard.Outcome;
import dev.ramp.gateway.proxy.RouteObserver;
import dev.ramp.gateway.routing.Version;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what the data path reports for every route, keyed like "canary/connect_error",
 * "fallback/status_503", "client/stable/200". Pass it to {@code Gateway.start(config, observer)}.
 */
public final class RecordingObserver implements RouteObserver.Factory, RouteObserver {
    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

    @Override
    public RouteObserver forRoute(RouteConfig route) {
        return this;
    }

    private void inc(String key) {
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    @Override
    public void onAttempt(Version version, Outcome outcome, long nanos) {
        inc(version.tag() + "/" + outcome.tag());
    }

    @Override
    public void onFallback(String reason) {
        inc("fallback/" + reason);
    }

    @Override
    public void onClientResponse(Version servedBy, int status) {
        inc("client/" + (servedBy == null ? "gateway" : servedBy.tag()) + "/" + status);
    }

    public long count(String key) {
        LongAdder a = counts.get(key);
        return a == null ? 0 : a.sum();
    }

    @Override
    public String toString() {
        return counts.toString();
    }
}
