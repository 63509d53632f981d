package dev.ramp.gateway.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Walks a {@link ConfigObject} cheaply. Its {@code entrySet()} and {@code values()} copy into hash sets, hashing
 * every value deeply: over {@code ramp}, whose {@code routes} holds 10 000 objects, that made each walk of the
 * config quadratic in effect. These use {@code keySet()} and {@code get}, which copy nothing.
 */
final class ConfigObjects {
    private ConfigObjects() {}

    /** The object's entries, in its key set's order. */
    static List<Map.Entry<String, ConfigValue>> entries(ConfigObject o) {
        List<Map.Entry<String, ConfigValue>> entries = new ArrayList<>(o.size());
        for (String key : o.keySet()) {
            entries.add(Map.entry(key, o.get(key)));
        }
        return entries;
    }
}
