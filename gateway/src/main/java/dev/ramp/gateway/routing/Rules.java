package dev.ramp.gateway.routing;

import dev.ramp.gateway.config.Cidr;
import dev.ramp.gateway.config.RuleMatch;
import dev.ramp.gateway.config.TargetingRule;
import dev.ramp.gateway.config.ValueMatch;
import java.util.List;

/**
 * A route's targeting rules compiled into arrays for the data path (docs/targeting.md): {@link #firstMatch}
 * walks them in order and returns the first whose every condition holds. Checking exact values, CIDRs and
 * path prefixes allocates nothing (the request's values are views); a regular expression allocates its matcher.
 * Immutable; made once per route and config snapshot.
 */
public final class Rules {
    /** No rules: every request falls through to the route weight. */
    public static final Rules NONE = new Rules(List.of());

    private final Rule[] rules;

    private Rules(List<TargetingRule> rules) {
        this.rules = rules.stream().map(Rule::new).toArray(Rule[]::new);
    }

    /** Compiles {@code rules} (already validated by the config reader). */
    public static Rules of(List<TargetingRule> rules) {
        return rules.isEmpty() ? NONE : new Rules(rules);
    }

    public int size() {
        return rules.length;
    }

    public boolean isEmpty() {
        return rules.length == 0;
    }

    /** The index of the first rule {@code facts} meets, or -1. */
    public int firstMatch(RequestFacts facts) {
        Rule[] rs = rules;
        for (int i = 0; i < rs.length; i++) {
            if (rs[i].matches(facts)) {
                return i;
            }
        }
        return -1;
    }

    /** The version rule {@code i} pins its segment to, or null when it gives a weight. */
    public Version pinned(int i) {
        return rules[i].pinned;
    }

    /** Rule {@code i}'s segment weight in basis points (meaningful when {@link #pinned} is null). */
    public int weightBasisPoints(int i) {
        return rules[i].weightBasisPoints;
    }

    /** One rule: its conditions as parallel arrays, cheapest first, and what it decides. */
    private static final class Rule {
        final String pathPrefix;
        final String[] headerNames;
        final ValueMatch[] headerValues;
        final String[] queryNames;
        final ValueMatch[] queryValues;
        final String[] cookieNames;
        final ValueMatch[] cookieValues;
        final Cidr[] sources;
        final Version pinned;
        final int weightBasisPoints;

        Rule(TargetingRule rule) {
            RuleMatch m = rule.match();
            pathPrefix = m.pathPrefix();
            headerNames = m.headers().keySet().toArray(String[]::new);
            headerValues = m.headers().values().toArray(ValueMatch[]::new);
            queryNames = m.query().keySet().toArray(String[]::new);
            queryValues = m.query().values().toArray(ValueMatch[]::new);
            cookieNames = m.cookies().keySet().toArray(String[]::new);
            cookieValues = m.cookies().values().toArray(ValueMatch[]::new);
            sources = m.sources().toArray(Cidr[]::new);
            pinned = rule.version() == null ? null : rule.version().equals("canary") ? Version.CANARY : Version.STABLE;
            weightBasisPoints = rule.weight() == null ? 0 : rule.weight().basisPoints();
        }

        boolean matches(RequestFacts f) {
            if (pathPrefix != null && !startsWith(f.path(), pathPrefix)) {
                return false;
            }
            for (int i = 0; i < headerNames.length; i++) {
                if (!headerValues[i].matches(f.header(headerNames[i]))) {
                    return false;
                }
            }
            for (int i = 0; i < queryNames.length; i++) {
                if (!queryValues[i].matches(f.query(queryNames[i]))) {
                    return false;
                }
            }
            for (int i = 0; i < cookieNames.length; i++) {
                if (!cookieValues[i].matches(f.cookie(cookieNames[i]))) {
                    return false;
                }
            }
            return sources.length == 0 || inAny(f.source());
        }

        private boolean inAny(CharSequence source) {
            if (source == null) {
                return false;
            }
            for (Cidr c : sources) {
                if (c.contains(source)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean startsWith(CharSequence path, String prefix) {
            if (path == null || path.length() < prefix.length()) {
                return false;
            }
            for (int i = 0; i < prefix.length(); i++) {
                if (path.charAt(i) != prefix.charAt(i)) {
                    return false;
                }
            }
            return true;
        }
    }
}
