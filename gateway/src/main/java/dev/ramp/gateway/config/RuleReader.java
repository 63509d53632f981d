package dev.ramp.gateway.config;

import com.google.re2j.PatternSyntaxException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates a route's {@code rules} (docs/targeting.md), reporting each problem with its file and
 * line. The keys of a rule and of its match are checked here, since {@code reference.conf} can only give the
 * list's default. Part of {@link RouteReader}.
 */
final class RuleReader {
    static final Set<String> RULE_KEYS = Set.of("match", "version", "weight");
    static final Set<String> MATCH_KEYS = Set.of("header", "cookie", "query", "source", "path-prefix");
    /** RFC 9110 token: header and cookie names. */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final String VALUE_EXPECTED =
            "expected: a string, a list of strings, or { regex = \"...\" }";

    private RuleReader() {}

    /** The rules of the route {@code r} reads, or null after a problem. */
    static List<TargetingRule> rules(ConfigReader r) {
        List<? extends ConfigObject> list = r.objectList("rules");
        if (list == null) {
            return null;
        }
        int before = r.problems.count();
        List<TargetingRule> rules = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            ConfigObject obj = list.get(i);
            TargetingRule rule = rule(new ConfigReader(obj.toConfig(), r.base + ".rules[" + i + "]", obj.origin(),
                    r.problems), obj);
            if (rule != null) {
                rules.add(rule);
            }
        }
        return r.problems.count() > before ? null : List.copyOf(rules);
    }

    private static TargetingRule rule(ConfigReader r, ConfigObject obj) {
        int before = r.problems.count();
        unknownKeys(r, obj, RULE_KEYS);
        boolean hasVersion = obj.containsKey("version");
        boolean hasWeight = obj.containsKey("weight");
        if (hasVersion && hasWeight) {
            r.problem("weight", "a rule has both version and weight (expected: version to pin its segment, or"
                                + " weight to give it its own canary share, not both)");
            return null;
        }
        if (!hasVersion && !hasWeight) {
            r.problems.add(obj.origin(), r.base, "has neither version nor weight (expected: version = \"canary\""
                                                 + " or \"stable\", or weight = \"50%\")");
        }
        String version = null;
        if (hasVersion) {
            String v = r.string("version");
            if (v != null && !v.equals("canary") && !v.equals("stable")) {
                r.problem("version", "\"" + v + "\" (expected: \"canary\" or \"stable\")");
            }
            version = v;
        }
        Percent weight = hasWeight ? r.percent("weight") : null;
        RuleMatch match = null;
        if (!obj.containsKey("match")) {
            r.problems.add(obj.origin(), r.base + ".match", "is required (expected: match { header { ... },"
                                                            + " cookie { ... }, query { ... }, source = [...], path-prefix = \"/...\" })");
        } else if (!(obj.get("match") instanceof ConfigObject m)) {
            r.problem("match", "is a " + obj.get("match").valueType().name().toLowerCase(java.util.Locale.ROOT)
                               + " (expected: an object { ... })");
        } else {
            match = match(new ConfigReader(m.toConfig(), r.base + ".match", m.origin(), r.problems), m);
        }
        if (r.problems.count() > before || match == null) {
            return null;
        }
        return new TargetingRule(match, version, weight);
    }

    private static RuleMatch match(ConfigReader r, ConfigObject m) {
        int before = r.problems.count();
        unknownKeys(r, m, MATCH_KEYS);
        if (m.isEmpty()) {
            r.problems.add(m.origin(), r.base, "is empty (expected: at least one of header, cookie, query, source,"
                                               + " path-prefix; the route weight already applies to everyone)");
            return null;
        }
        Map<String, ValueMatch> headers = values(r, m, "header", true);
        Map<String, ValueMatch> cookies = values(r, m, "cookie", true);
        Map<String, ValueMatch> query = values(r, m, "query", false);
        List<Cidr> sources = new ArrayList<>();
        if (m.containsKey("source")) {
            ConfigValue v = m.get("source");
            if (!(v instanceof ConfigList list) || list.isEmpty()) {
                r.problems.add(v.origin(), r.base + ".source", describe(v)
                        + " (expected: a non-empty list of networks such as [\"10.0.0.0/8\"])");
            } else {
                for (int i = 0; i < list.size(); i++) {
                    ConfigValue e = list.get(i);
                    if (e.valueType() != ConfigValueType.STRING) {
                        r.problems.add(e.origin(), r.base + ".source[" + i + "]", describe(e)
                                + " (expected: a network such as \"10.0.0.0/8\")");
                        continue;
                    }
                    try {
                        sources.add(Cidr.parse((String) e.unwrapped()));
                    } catch (IllegalArgumentException ex) {
                        r.problems.add(e.origin(), r.base + ".source[" + i + "]", ex.getMessage());
                    }
                }
            }
        }
        String prefix = null;
        if (m.containsKey("path-prefix")) {
            prefix = r.string("path-prefix");
            if (prefix != null && !prefix.startsWith("/")) {
                r.problem("path-prefix", "\"" + prefix + "\" (expected: a path starting with \"/\")");
            }
        }
        if (r.problems.count() > before) {
            return null;
        }
        return new RuleMatch(headers, cookies, query, sources, prefix);
    }

    /** The name-to-value conditions under {@code key} ({@code header}, {@code cookie} or {@code query}). */
    private static Map<String, ValueMatch> values(ConfigReader r, ConfigObject m, String key, boolean tokenNames) {
        Map<String, ValueMatch> out = new LinkedHashMap<>();
        if (!m.containsKey(key)) {
            return out;
        }
        String base = r.base + "." + key;
        if (!(m.get(key) instanceof ConfigObject obj) || obj.isEmpty()) {
            r.problems.add(m.get(key).origin(), base, describe(m.get(key)) + " (expected: { \"Name\" = \"value\" },"
                                                      + " at least one name)");
            return out;
        }
        for (Map.Entry<String, ConfigValue> e : ConfigObjects.entries(obj)) {
            String name = e.getKey();
            String path = base + "." + name;
            if (tokenNames ? !TOKEN.matcher(name).matches() : name.isEmpty()) {
                r.problems.add(e.getValue().origin(), path, "\"" + name + "\" is not a " + key
                        + " name (expected: letters, digits and !#$%&'*+.^_`|~-; quote a name that has dots)");
                continue;
            }
            ValueMatch v = value(r, e.getValue(), path);
            if (v != null) {
                out.put(name, v);
            }
        }
        return out;
    }

    private static ValueMatch value(ConfigReader r, ConfigValue v, String path) {
        if (v.valueType() == ConfigValueType.STRING) {
            return ValueMatch.anyOf(List.of((String) v.unwrapped()));
        }
        if (v instanceof ConfigList list) {
            List<String> values = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i).valueType() != ConfigValueType.STRING) {
                    r.problems.add(list.get(i).origin(), path + "[" + i + "]", describe(list.get(i))
                            + " (expected: a string)");
                    return null;
                }
                values.add((String) list.get(i).unwrapped());
            }
            if (values.isEmpty()) {
                r.problems.add(v.origin(), path, "is an empty list (" + VALUE_EXPECTED + ")");
                return null;
            }
            return ValueMatch.anyOf(values);
        }
        if (v instanceof ConfigObject obj && obj.size() == 1 && obj.containsKey("regex")
            && obj.get("regex").valueType() == ConfigValueType.STRING) {
            String pattern = (String) obj.get("regex").unwrapped();
            try {
                return ValueMatch.regex(pattern);
            } catch (PatternSyntaxException e) {
                r.problems.add(obj.get("regex").origin(), path + ".regex", "\"" + pattern
                        + "\" is not a regular expression RE2 accepts: " + e.getDescription()
                        + " (expected: RE2 syntax; no backreferences or look-arounds, which can take exponential time)");
                return null;
            }
        }
        r.problems.add(v.origin(), path, describe(v) + " (" + VALUE_EXPECTED + ")");
        return null;
    }

    private static void unknownKeys(ConfigReader r, ConfigObject obj, Set<String> known) {
        for (Map.Entry<String, ConfigValue> e : ConfigObjects.entries(obj)) {
            if (!known.contains(e.getKey())) {
                r.problems.add(e.getValue().origin(), r.base + "." + e.getKey(), "unknown key (expected one of: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private static String describe(ConfigValue v) {
        return v.valueType() == ConfigValueType.STRING ? "\"" + v.unwrapped() + "\""
                : v.valueType().name().toLowerCase(java.util.Locale.ROOT) + " " + v.render();
    }
}
