package dev.ramp.gateway.testing;

import dev.ramp.gateway.guard.Outcome;
import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.proxy.ProxyObserver;
import dev.ramp.gateway.routing.Version;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts what the data path reports, keyed like "canary/connect_error", "fallback/status_503", "client/stable/200". */
public final class RecordingObserver implements ProxyObserver {
    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

    private void inc(String key) {
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    @Override
    public void onAttempt(LiveRoute route, Version version, Outcome outcome, long nanos) {
        inc(version.tag() + "/" + outcome.tag());
    }

    @Override
    public void onFallback(LiveRoute route, String reason) {
        inc("fallback/" + reason);
    }

    @Override
    public void onClientResponse(LiveRoute route, Version servedBy, int status) {
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
