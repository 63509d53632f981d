package dev.ramp.gateway.config;

import com.typesafe.config.ConfigObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads and validates one entry of {@code ramp.routes} (merged over route-defaults). Part of {@link ConfigLoader}. */
final class RouteReader {

    static final Pattern ROUTE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern HOST_PATTERN =
            Pattern.compile("\\*|(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");
    private static final long MAX_REPLAY_BODY = 16L * 1024 * 1024;

    private RouteReader() {
    }

    /** @param dir the config file's directory, against which a relative {@code ca-file} resolves */
    static RouteConfig route(ConfigReader r, ConfigObject raw, java.nio.file.Path dir, InheritedBlocks inherited) {
        int before = r.problems.count();
        String name = r.string("name");
        if (name != null && !ROUTE_NAME.matcher(name).matches()) {
            r.problem("name", "\"" + name + "\" (expected: 1-64 of A-Z a-z 0-9 . _ -; it names metrics, API paths and state files)");
        }
        Match match = null;
        ConfigReader m = r.object("match");
        if (m != null) {
            List<String> hosts = m.stringList("hosts");
            String prefix = m.string("path-prefix");
            if (hosts != null) {
                if (hosts.isEmpty()) {
                    m.problem("hosts", "is empty (expected: at least one host, or [\"*\"] for any)");
                }
                for (int i = 0; i < hosts.size(); i++) {
                    if (!HOST_PATTERN.matcher(hosts.get(i)).matches()) {
                        m.problem("hosts[" + i + "]", "\"" + hosts.get(i)
                                  + "\" (expected: \"*\", \"*.example.com\" or a host name without port)");
                    }
                }
            }
            if (prefix != null && !prefix.startsWith("/")) {
                m.problem("path-prefix", "\"" + prefix + "\" (expected: a path starting with \"/\")");
            }
            if (hosts != null && prefix != null) {
                match = new Match(hosts.stream().map(h -> h.toLowerCase(java.util.Locale.ROOT)).toList(), prefix);
            }
        }
        Upstream stable = upstream(r.object("stable"), dir);
        Upstream canary = upstream(r.object("canary"), dir);
        Percent weight = r.percent("weight");

        Sticky sticky = inherited.block(r, raw, "sticky", RouteReader::sticky);
        OverrideSettings override = inherited.block(r, raw, "override", RouteReader::override);
        Boolean expose = r.bool("expose-version-header");
        Timeouts timeouts = inherited.block(r, raw, "timeouts", RouteReader::timeouts);
        Fallback fallback = inherited.block(r, raw, "fallback", RouteReader::fallback);
        CircuitBreakerSettings breaker = inherited.block(r, raw, "circuit-breaker", RouteReader::circuitBreaker);
        GuardSettings guard = inherited.block(r, raw, "guard", RouteReader::guard);
        List<TargetingRule> rules = inherited.whole(r, raw, "rules", RuleReader::rules);
        // Every route inherits the rollout defaults; only a route that writes a rollout block has a plan.
        RolloutSettings rollout = raw.containsKey("rollout") ? RolloutReader.rollout(r.object("rollout")) : null;
        int beforeMirror = r.problems.count();
        MirrorSettings mirror = inherited.block(r, raw, "mirror", MirrorReader::mirror);
        if (r.problems.count() == beforeMirror) {
            MirrorReader.checkGate(r, rollout, mirror);
        }
        if (r.problems.count() > before) {
            return null;
        }
        return new RouteConfig(name, match, stable, canary, weight, sticky, override, expose, timeouts, fallback,
                breaker, guard, rules, rollout, mirror);
    }

    private static Sticky sticky(ConfigReader s) {
        Sticky sticky = null;
        if (s != null) {
            String header = s.token("user-header");
            String cookie = s.token("cookie");
            Duration maxAge = s.duration("cookie-max-age");
            if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
                s.problem("cookie-max-age", maxAge + " (expected: a positive duration such as 30d)");
            }
            sticky = new Sticky(header, cookie, maxAge);
        }
        return sticky;
    }

    private static OverrideSettings override(ConfigReader o) {
        OverrideSettings override = null;
        if (o != null) {
            String header = o.token("header");
            List<String> canaryUsers = o.stringList("canary-users");
            List<String> stableUsers = o.stringList("stable-users");
            if (canaryUsers != null && stableUsers != null) {
                Set<String> both = new LinkedHashSet<>(canaryUsers);
                both.retainAll(stableUsers);
                if (!both.isEmpty()) {
                    o.problem("canary-users", "users " + both + " are also in stable-users (expected: each user in one ring)");
                }
                override = new OverrideSettings(header, new LinkedHashSet<>(canaryUsers), new LinkedHashSet<>(stableUsers));
            }
        }
        return override;
    }

    private static Timeouts timeouts(ConfigReader t) {
        return t == null ? null : new Timeouts(t.positiveDuration("connect"), t.positiveDuration("response"),
                t.positiveDuration("idle"), t.positiveDuration("tunnel-idle"), t.positiveDuration("tunnel-max"));
    }

    private static Fallback fallback(ConfigReader f) {
        Fallback fallback = null;
        if (f != null) {
            Boolean enabled = f.bool("enabled");
            List<Integer> statuses = f.intList("on-status");
            Long replay = f.bytes("max-replay-body");
            if (statuses != null) {
                for (int i = 0; i < statuses.size(); i++) {
                    if (statuses.get(i) < 400 || statuses.get(i) > 599) {
                        f.problem("on-status[" + i + "]", statuses.get(i) + " (expected: an HTTP status 400..599)");
                    }
                }
            }
            if (replay != null && (replay < 0 || replay > MAX_REPLAY_BODY)) {
                f.problem("max-replay-body", replay + " bytes (expected: 0 to 16MiB)");
            }
            if (enabled != null && statuses != null && replay != null) {
                fallback = new Fallback(enabled, new LinkedHashSet<>(statuses), replay);
            }
        }
        return fallback;
    }

    private static CircuitBreakerSettings circuitBreaker(ConfigReader b) {
        if (b == null) {
            return null;
        }
        Boolean enabled = b.bool("enabled");
        Percent rate = b.percent("failure-rate");
        Integer minimumCalls = b.integer("minimum-calls");
        Duration window = b.positiveDuration("window");
        Duration openFor = b.positiveDuration("open-for");
        Integer halfOpen = b.integer("half-open-calls");
        if (rate != null && rate.basisPoints() == 0) {
            b.problem("failure-rate", "0% (expected: above 0%, e.g. \"50%\")");
        }
        if (minimumCalls != null && minimumCalls < 1) {
            b.problem("minimum-calls", minimumCalls + " (expected: 1 or more)");
        }
        if (window != null && (window.toSeconds() < 1 || window.toMinutes() > 10)) {
            b.problem("window", window + " (expected: 1s to 10m, whole seconds)");
        }
        if (halfOpen != null && (halfOpen < 1 || halfOpen > 1000)) {
            b.problem("half-open-calls", halfOpen + " (expected: 1..1000)");
        }
        if (enabled == null || rate == null || minimumCalls == null || window == null || openFor == null
            || halfOpen == null) {
            return null;
        }
        return new CircuitBreakerSettings(enabled, rate, minimumCalls, window, openFor, halfOpen);
    }

    private static GuardSettings guard(ConfigReader g) {
        if (g == null) {
            return null;
        }
        Boolean enabled = g.bool("enabled");
        Duration every = g.positiveDuration("evaluate-every");
        Duration window = g.positiveDuration("window");
        Integer minRequests = g.integer("min-requests");
        Percent maxErrorRate = g.percent("max-error-rate");
        Percent maxIncrease = g.percent("max-error-rate-increase");
        Duration maxP99 = g.positiveDuration("max-p99");
        Double latencyIncrease = g.ratioPercent("max-latency-increase");
        Integer breaches = g.integer("breaches-to-revert");
        Integer failures = g.integer("consecutive-failures-to-revert");
        Integer minFailures = g.integer("min-failures");
        Duration minDifference = g.duration("min-latency-difference");
        Percent budget = g.percent("false-revert-budget");
        Duration horizon = g.positiveDuration("budget-horizon");
        if (every != null && every.toMillis() < 100) {
            g.problem("evaluate-every", every + " (expected: 100ms or more)");
        }
        if (window != null && (window.toSeconds() < 1 || window.toMinutes() > 10)) {
            g.problem("window", window + " (expected: 1s to 10m)");
        }
        if (every != null && window != null && every.compareTo(window) > 0) {
            g.problem("evaluate-every", every + " is longer than window " + window + " (expected: evaluate-every <= window)");
        }
        if (minRequests != null && minRequests < 1) {
            g.problem("min-requests", minRequests + " (expected: 1 or more)");
        }
        if (latencyIncrease != null && latencyIncrease <= 0) {
            g.problem("max-latency-increase", "must be above 0% (expected: e.g. \"50%\")");
        }
        if (breaches != null && (breaches < 1 || breaches > 1000)) {
            g.problem("breaches-to-revert", breaches + " (expected: 1..1000)");
        }
        if (failures != null && (failures < 1 || failures > 100_000)) {
            g.problem("consecutive-failures-to-revert", failures + " (expected: 1..100000)");
        }
        if (minFailures != null && (minFailures < 1 || minFailures > 100_000)) {
            g.problem("min-failures", minFailures + " (expected: 1..100000)");
        }
        if (minDifference != null && (minDifference.isNegative() || minDifference.toSeconds() > 60)) {
            g.problem("min-latency-difference", minDifference + " (expected: 0ms to 60s)");
        }
        if (budget != null && (budget.basisPoints() == 0 || budget.ratio() >= 1)) {
            g.problem("false-revert-budget", budget + " (expected: above 0% and below 100%, e.g. \"0.1%\")");
        }
        if (horizon != null && every != null && horizon.compareTo(every) < 0) {
            g.problem("budget-horizon", horizon + " is shorter than evaluate-every " + every);
        }
        if (enabled == null || every == null || window == null || minRequests == null || maxErrorRate == null
            || maxIncrease == null || maxP99 == null || latencyIncrease == null || breaches == null || failures == null
            || minFailures == null || minDifference == null || budget == null || horizon == null) {
            return null;
        }
        return new GuardSettings(enabled, every, window, minRequests, maxErrorRate, maxIncrease, maxP99,
                latencyIncrease, breaches, failures, minFailures, minDifference, budget, horizon);
    }

    private static Upstream upstream(ConfigReader u, java.nio.file.Path dir) {
        if (u == null) {
            return null;
        }
        String url = u.string("url");
        String version = u.string("version");
        if (version != null && version.isBlank()) {
            u.problem("version", "is empty (expected: the version this upstream runs, e.g. \"v1.4.2\")");
            return null;
        }
        if (url == null || version == null) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            u.problem("url", "\"" + url + "\" is not a URL: " + e.getReason() + " (expected: e.g. \"http://127.0.0.1:9001\")");
            return null;
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
            u.problem("url", "\"" + url + "\" (expected: an http:// or https:// URL such as \"http://127.0.0.1:9001\")");
            return null;
        }
        if (uri.getHost() == null) {
            u.problem("url", "\"" + url + "\" has no host (expected: e.g. \"http://127.0.0.1:9001\")");
            return null;
        }
        boolean pathless = uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/");
        if (!pathless || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            u.problem("url", "\"" + url + "\" (expected: scheme, host and port only; the client's path is forwarded as is)");
            return null;
        }
        UpstreamTlsSettings tls = UpstreamTlsReader.read(u, scheme.equals("https"), dir);
        if (tls == null) {
            return null;
        }
        try {
            return new Upstream(new URI(scheme, null, uri.getHost(), uri.getPort(), null, null, null), version, tls);
        } catch (URISyntaxException e) {
            u.problem("url", "\"" + url + "\": " + e.getReason());
            return null;
        }
    }
}
