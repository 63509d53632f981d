package dev.ramp.gateway.proxy;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WARN line of a canary request that fell back to stable. A failing canary falls back thousands of times
 * a second, so each route writes at most one line per 10 s, saying how many it left out; the metric
 * {@code ramp_fallbacks_total} counts every fallback.
 */
public final class FallbackLog {
    /** Under the exchange's logger name, where these lines were always written (log settings and tests use it). */
    private static final Logger log = LoggerFactory.getLogger("dev.ramp.gateway.proxy.netty.Exchange");
    private static final LogLimiter LIMITER = new LogLimiter(Duration.ofSeconds(10));

    private FallbackLog() {}

    /** A fallback on {@code route} for {@code reason} ({@code cause}: the failure, or null) at {@code nowNanos}. */
    public static void warn(String route, String reason, Throwable cause, long nowNanos) {
        long more = LIMITER.admit(route, nowNanos);
        if (more >= 0) {
            log.warn("route={} version=canary fell back to stable: {}{}{}", route, reason,
                    cause == null ? "" : " (" + Failures.reason(cause) + ")", more == 0 ? ""
                    : "; " + more + " more since the last such line (one line per route per 10 s;"
                      + " ramp_fallbacks_total counts every one)");
        }
    }
}
