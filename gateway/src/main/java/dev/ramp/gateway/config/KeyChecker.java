package dev.ramp.gateway.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * Finds keys the defaults ({@code reference.conf}) do not know, with a "did you mean" hint, and keys that
 * were removed, with what replaced them. Part of {@link ConfigLoader}.
 */
final class KeyChecker {

    /** Keys a route has besides the per-route blocks of route-defaults. */
    static final Set<String> ROUTE_OWN_KEYS = Set.of("name", "stable", "canary", "weight");
    static final Set<String> UPSTREAM_KEYS = Set.of("url", "version", "tls");
    /** Keys a notify webhook has besides those of notify-defaults ({@code headers}: any header names). */
    static final Set<String> NOTIFY_OWN_KEYS = Set.of("url", "name", "headers");
    /** The keys of an upstream's optional {@code tls} block (no defaults in reference.conf: see gateway.conf). */
    static final Set<String> UPSTREAM_TLS_KEYS = Set.of("ca-file", "server-name", "insecure-skip-verify");
    /**
     * Blocks with no defaults, so absent from {@code reference.conf} (their absence means something, e.g. no
     * {@code tls}: plain HTTP), with their keys; the keys of each object in one of their lists are under
     * {@code path.list[]}.
     */
    static final Map<String, Set<String>> OPTIONAL_BLOCKS = Map.of(
            "ramp.listen.tls", Set.of("cert", "key", "sni", "provider"),
            "ramp.listen.tls.sni[]", Set.of("hosts", "cert", "key"));
    /** Keys that once existed, with what to do instead: a clear error rather than "unknown key". */
    static final Map<String, String> REMOVED = Map.of(
            "ramp.listen.engine", "was removed: Ramp has one data path, on Netty (delete the line)");

    /** The objects an optional block or a removed key lives in: only these need the slow look in checkObject. */
    private static final Set<String> SPECIAL_PARENTS = java.util.stream.Stream
            .concat(OPTIONAL_BLOCKS.keySet().stream(), REMOVED.keySet().stream())
            .map(p -> p.substring(0, p.lastIndexOf('.')))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    private final Config reference;

    KeyChecker(Config reference) {
        this.reference = reference;
    }

    void check(Config user, Config merged, Problems problems) {
        for (Map.Entry<String, ConfigValue> e : ConfigObjects.entries(user.root())) {
            if (!e.getKey().equals("ramp")) {
                problems.add(e.getValue().origin(), e.getKey(),
                        "unknown key (expected: every setting under ramp { })" + hint(e.getKey(), Set.of("ramp")));
            }
        }
        if (!merged.hasPath("ramp") || merged.getValue("ramp").valueType() != ConfigValueType.OBJECT) {
            return;
        }
        ConfigObject schema = reference.getObject("ramp");
        ConfigObject ramp = merged.getObject("ramp");
        for (Map.Entry<String, ConfigValue> e : ConfigObjects.entries(ramp)) {
            String key = e.getKey();
            String path = "ramp." + ConfigUtil.quoteString(key).replace("\"", "");
            if (key.equals("routes")) {
                checkRoutesKeys(e.getValue(), problems);
            } else if (key.equals("notify")) {
                checkNotifyKeys(e.getValue(), problems);
            } else if (key.equals("admin")) {
                Set<String> known = new LinkedHashSet<>(schema.toConfig().getObject("admin").keySet());
                known.add("token");
                checkObject(e.getValue(), path, known, null, problems);
            } else if (!schema.containsKey(key)) {
                problems.add(e.getValue().origin(), path, "unknown key" + hint(key, schema.keySet()));
            } else {
                checkAgainst(e.getValue(), schema.get(key), path, problems);
            }
        }
    }

    private void checkRoutesKeys(ConfigValue routes, Problems problems) {
        if (!(routes instanceof ConfigList list)) {
            return; // reported as a type error when reading
        }
        ConfigObject defaults = reference.getObject("ramp.route-defaults");
        Set<String> known = new LinkedHashSet<>(ROUTE_OWN_KEYS);
        known.addAll(defaults.keySet());
        for (int i = 0; i < list.size(); i++) {
            ConfigValue route = list.get(i);
            if (!(route instanceof ConfigObject obj)) {
                continue;
            }
            String base = "ramp.routes[" + i + "]";
            for (Map.Entry<String, ConfigValue> e : ConfigObjects.entries(obj)) {
                String key = e.getKey();
                String path = base + "." + key;
                if (!known.contains(key)) {
                    problems.add(e.getValue().origin(), path, "unknown key" + hint(key, known));
                } else if (key.equals("stable") || key.equals("canary")) {
                    checkObject(e.getValue(), path, UPSTREAM_KEYS, null, problems);
                    if (e.getValue() instanceof ConfigObject upstream && upstream.containsKey("tls")) {
                        checkObject(upstream.get("tls"), path + ".tls", UPSTREAM_TLS_KEYS, null, problems);
                    }
                } else if (key.equals("rollout") && defaults.get(key) instanceof ConfigObject rolloutDefaults) {
                    // The plan itself (steps or exponential) has no default: a route's own keys.
                    Set<String> rolloutKeys = new LinkedHashSet<>(rolloutDefaults.keySet());
                    rolloutKeys.addAll(RolloutReader.PLAN_KEYS);
                    checkObject(e.getValue(), path, rolloutKeys, null, problems);
                    if (e.getValue() instanceof ConfigObject rollout && rollout.containsKey("exponential")) {
                        checkObject(rollout.get("exponential"), path + ".exponential", RolloutReader.EXPONENTIAL_KEYS,
                                null, problems);
                    }
                } else if (defaults.containsKey(key)) {
                    checkAgainst(e.getValue(), defaults.get(key), path, problems);
                }
            }
        }
    }

    private void checkNotifyKeys(ConfigValue notify, Problems problems) {
        if (!(notify instanceof ConfigList list)) {
            return; // reported as a type error when reading
        }
        Set<String> known = new LinkedHashSet<>(NOTIFY_OWN_KEYS);
        known.addAll(reference.getObject("ramp.notify-defaults").keySet());
        for (int i = 0; i < list.size(); i++) {
            checkObject(list.get(i), "ramp.notify[" + i + "]", known, null, problems);
        }
    }

    private void checkAgainst(ConfigValue value, ConfigValue schema, String path, Problems problems) {
        if (schema instanceof ConfigObject schemaObj) {
            checkObject(value, path, schemaObj.keySet(), schemaObj, problems);
        }
    }

    private void checkObject(ConfigValue value, String path, Set<String> known, ConfigObject schema,
                             Problems problems) {
        if (!(value instanceof ConfigObject obj)) {
            return; // type errors are reported when reading
        }
        if (!SPECIAL_PARENTS.contains(path)) {
            // The common case, once per route and block: no optional block or removed key lives here.
            for (Map.Entry<String, ConfigValue> e : ConfigObjects.entries(obj)) {
                String key = e.getKey();
                if (!known.contains(key)) {
                    problems.add(e.getValue().origin(), path + "." + key, "unknown key" + hint(key, known));
                } else if (schema != null && schema.get(key) instanceof ConfigObject) {
                    checkAgainst(e.getValue(), schema.get(key), path + "." + key, problems);
                }
            }
            return;
        }
        Set<String> keys = new LinkedHashSet<>(known);
        OPTIONAL_BLOCKS.keySet().stream()
                .filter(p -> p.startsWith(path + ".") && p.indexOf('.', path.length() + 1) < 0 && !p.endsWith("[]"))
                .forEach(p -> keys.add(p.substring(path.length() + 1)));
        for (Map.Entry<String, ConfigValue> e : ConfigObjects.entries(obj)) {
            String key = e.getKey();
            String childPath = path + "." + key;
            if (REMOVED.containsKey(childPath)) {
                problems.add(e.getValue().origin(), childPath, REMOVED.get(childPath));
            } else if (OPTIONAL_BLOCKS.containsKey(childPath) && !known.contains(key)) {
                checkOptional(e.getValue(), childPath, problems);
            } else if (!keys.contains(key)) {
                problems.add(e.getValue().origin(), childPath, "unknown key" + hint(key, keys));
            } else if (schema != null) {
                checkAgainst(e.getValue(), schema.get(key), childPath, problems);
            }
        }
    }

    /** An optional block's keys, and those of the objects in its lists. */
    private void checkOptional(ConfigValue value, String path, Problems problems) {
        checkObject(value, path, OPTIONAL_BLOCKS.get(path), null, problems);
        if (!(value instanceof ConfigObject obj)) {
            return;
        }
        for (Map.Entry<String, ConfigValue> e : ConfigObjects.entries(obj)) {
            Set<String> itemKeys = OPTIONAL_BLOCKS.get(path + "." + e.getKey() + "[]");
            if (itemKeys != null && e.getValue() instanceof ConfigList list) {
                for (int i = 0; i < list.size(); i++) {
                    checkObject(list.get(i), path + "." + e.getKey() + "[" + i + "]", itemKeys, null, problems);
                }
            }
        }
    }

    private static String hint(String key, Set<String> known) {
        LevenshteinDistance distance = LevenshteinDistance.getDefaultInstance();
        Optional<String> best = known.stream()
                .min(Comparator.comparingInt((String k) -> distance.apply(key, k)).thenComparing(k -> k));
        if (best.isPresent() && distance.apply(key, best.get()) <= Math.max(2, key.length() / 3)) {
            return " (did you mean \"" + best.get() + "\"?)";
        }
        return " (expected one of: " + String.join(", ", known.stream().sorted().toList()) + ")";
    }
}
