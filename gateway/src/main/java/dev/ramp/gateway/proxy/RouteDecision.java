package dev.ramp.gateway.proxy;

import dev.ramp.gateway.config.Percent;
import dev.ramp.gateway.config.RouteConfig;
import dev.ramp.gateway.config.Sticky;
import dev.ramp.gateway.routing.Assignment;
import dev.ramp.gateway.routing.Buckets;
import dev.ramp.gateway.routing.Decision;
import dev.ramp.gateway.routing.RequestFacts;
import dev.ramp.gateway.routing.Version;
import io.netty.handler.codec.http.cookie.CookieHeaderNames;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Which version one request on a matched route gets, decided from plain values (no sockets, no HTTP
 * objects, see docs/architecture.md): a trusted override header first, then {@link Assignment} on the
 * request's identity and, for the route's targeting rules, its {@link RequestFacts}. {@link #explain} answers
 * the same question for the admin API and the {@code explain} command through the same code. A request
 * without an identity gets a fresh one, which its response stores in the route's identity cookie.
 *
 * @param version     the version to try first; null when {@link #rejection()} is set
 * @param newIdentity a fresh identity to set as the cookie on the response, or null
 * @param rejection   the 400 message for an override header naming no version, or null
 */
public record RouteDecision(Version version, String newIdentity, String rejection) {
    /** The decisions that carry nothing but the version, shared: most requests allocate no decision. */
    private static final RouteDecision STABLE = new RouteDecision(Version.STABLE, null, null);
    private static final RouteDecision CANARY = new RouteDecision(Version.CANARY, null, null);

    /**
     * Decides a request's version and reports the targeting rule that decided it, if any, to the route's
     * observer.
     *
     * @param trusted       whether the peer may send override headers
     * @param overrideValue the route's override header as received, or null
     * @param identity      the user header's value, else the identity cookie's, else null or empty
     * @param facts         what the route's targeting rules read (views into the request)
     */
    public static RouteDecision decide(LiveRoute route, boolean trusted, String overrideValue,
                                       CharSequence identity, RequestFacts facts) {
        Version override = null;
        if (overrideValue != null && trusted) {
            override = Assignment.parseOverride(overrideValue);
            if (override == null) {
                return new RouteDecision(null, null,
                        badOverrideMessage(route.config().override().header(), overrideValue));
            }
        }
        String fresh = null;
        if (identity == null || identity.length() == 0) {
            identity = fresh = randomId();
        }
        int d = decision(route, override, identity, facts);
        int rule = Decision.rule(d);
        if (rule >= 0) {
            route.observer().onRuleMatch(rule);
        }
        Version v = Decision.version(d);
        if (fresh != null) {
            return new RouteDecision(v, fresh, null);
        }
        return v == Version.CANARY ? CANARY : STABLE;
    }

    /**
     * Which version a request described by {@code q} would get on {@code route} now, and why: the same
     * {@link #decision} as {@link #decide}, read as if {@code q.source()} were the peer (an override header
     * counts when that address is a trusted source). A request without an identity is decided, as the data
     * path would, on a fresh one.
     *
     * @throws IllegalArgumentException when a trusted override header names no version, as the data path
     *                                  answers 400
     */
    public static Explanation explain(RoutingSnapshot snapshot, LiveRoute route, ExplainRequest q) {
        RouteConfig rc = route.config();
        RequestFacts facts = q.withDefaultPath(rc.match().pathPrefix());
        boolean trusted = q.source() != null && snapshot.trusted(q.source());
        String overrideValue = q.headerValue(rc.override().header());
        Version override = null;
        if (overrideValue != null && trusted) {
            override = Assignment.parseOverride(overrideValue);
            if (override == null) {
                throw new IllegalArgumentException(badOverrideMessage(rc.override().header(), overrideValue));
            }
        }
        String identity = q.user();
        if (identity == null || identity.isEmpty()) {
            identity = q.headerValue(rc.sticky().userHeader());
        }
        if (identity == null || identity.isEmpty()) {
            identity = q.cookieValue(rc.sticky().cookie());
        }
        boolean fresh = identity == null || identity.isEmpty();
        if (fresh) {
            identity = randomId();
        }
        int d = decision(route, override, identity, facts);
        int rule = Decision.rule(d);
        int weight = rule >= 0 && route.rules().pinned(rule) == null ? route.rules().weightBasisPoints(rule)
                : route.effectiveWeightBasisPoints();
        return new Explanation(route.name(), Decision.version(d), Decision.reason(d),
                rule >= 0 ? rc.rules().get(rule) : null, rule, Buckets.bucket(route.name(), identity),
                new Percent(weight), identity, fresh);
    }

    /** The decision both the data path and explain take: {@link Assignment} over the route's live state. */
    private static int decision(LiveRoute route, Version override, CharSequence identity, RequestFacts facts) {
        RouteConfig rc = route.config();
        return Assignment.decide(route.name(), identity, route.effectiveWeightBasisPoints(), route.reverted(),
                override, rc.override().canaryUsers(), rc.override().stableUsers(), route.rules(), facts);
    }

    /** Whether the request is answered 400 instead of forwarded. */
    public boolean rejected() {
        return rejection != null;
    }

    /** The 400 message for an override header with a value that names no version. */
    static String badOverrideMessage(String header, String value) {
        return "header " + header + ": \"" + value + "\" (expected: stable or canary)";
    }

    /**
     * A fresh anonymous identity: 128 random bits, URL-safe. It is a bucketing key, not a secret, so the
     * thread-local generator is enough.
     */
    static String randomId() {
        byte[] b = new byte[16];
        ThreadLocalRandom.current().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The Set-Cookie value that stores a fresh identity: HttpOnly, SameSite=Lax, Path=/, Max-Age. */
    public static String identityCookie(Sticky sticky, String identity) {
        return identityCookie(sticky, identity, false);
    }

    /** The cookie as above; {@code Secure} when the client came over TLS to this gateway. */
    public static String identityCookie(Sticky sticky, String identity, boolean secure) {
        DefaultCookie c = new DefaultCookie(sticky.cookie(), identity);
        c.setSecure(secure);
        c.setPath("/");
        c.setHttpOnly(true);
        c.setSameSite(CookieHeaderNames.SameSite.Lax);
        c.setMaxAge(sticky.cookieMaxAge().toSeconds());
        return ServerCookieEncoder.STRICT.encode(c);
    }
}
