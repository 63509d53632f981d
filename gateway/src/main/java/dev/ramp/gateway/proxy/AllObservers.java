package dev.ramp.gateway.proxy;

import dev.ramp.gateway.guard.Outcome;
import dev.ramp.gateway.routing.Version;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link RouteObserver#all}: reports to several observers, each isolated from the others' failures. */
final class AllObservers implements RouteObserver {
    private static final Logger log = LoggerFactory.getLogger(AllObservers.class);
    private final RouteObserver[] each;

    AllObservers(List<RouteObserver> observers) {
        this.each = observers.toArray(RouteObserver[]::new);
    }

    @Override
    public void onAttempt(Version version, Outcome outcome, long nanos) {
        for (RouteObserver o : each) {
            try {
                o.onAttempt(version, outcome, nanos);
            } catch (RuntimeException e) {
                log.warn("observer {} failed on an attempt: {}", o, e.toString());
            }
        }
    }

    @Override
    public void onFallback(String reason) {
        for (RouteObserver o : each) {
            try {
                o.onFallback(reason);
            } catch (RuntimeException e) {
                log.warn("observer {} failed on a fallback: {}", o, e.toString());
            }
        }
    }

    @Override
    public void onClientResponse(Version servedBy, int status) {
        for (RouteObserver o : each) {
            try {
                o.onClientResponse(servedBy, status);
            } catch (RuntimeException e) {
                log.warn("observer {} failed on a response: {}", o, e.toString());
            }
        }
    }

    @Override
    public void onRuleMatch(int rule) {
        for (RouteObserver o : each) {
            try {
                o.onRuleMatch(rule);
            } catch (RuntimeException e) {
                log.warn("observer {} failed on a rule match: {}", o, e.toString());
            }
        }
    }
}
