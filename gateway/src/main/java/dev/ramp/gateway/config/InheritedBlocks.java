package dev.ramp.gateway.config;

import com.typesafe.config.ConfigObject;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The per-route blocks a route does not write itself are {@code route-defaults}' blocks, identical for every such
 * route: each is read and validated once per load and the one immutable result shared. With 10 000 routes that
 * is most of the reading, and most of what idle routes would hold (docs/architecture.md, "Many routes").
 *
 * <p>Only a result read without problems is kept: a block with problems is read again for every route, so each
 * route's errors are reported as before. One instance per load; not thread-safe.
 */
final class InheritedBlocks {
    private final Map<String, Optional<Object>> read = new HashMap<>();

    /**
     * The route's {@code key} block read by {@code reader} (given the block's reader, or null when absent):
     * read afresh when the route writes the block, else shared.
     */
    @SuppressWarnings("unchecked")
    <T> T block(ConfigReader route, ConfigObject raw, String key, Function<ConfigReader, T> reader) {
        if (raw.containsKey(key)) {
            return reader.apply(route.object(key));
        }
        return (T) shared(route, key, () -> reader.apply(route.object(key)));
    }

    /** As {@link #block}, for a reader that takes the route's own reader (a list such as {@code rules}). */
    @SuppressWarnings("unchecked")
    <T> T whole(ConfigReader route, ConfigObject raw, String key, Function<ConfigReader, T> reader) {
        if (raw.containsKey(key)) {
            return reader.apply(route);
        }
        return (T) shared(route, key, () -> reader.apply(route));
    }

    private Object shared(ConfigReader route, String key, java.util.function.Supplier<Object> read) {
        Optional<Object> known = this.read.get(key);
        if (known != null) {
            return known.orElse(null);
        }
        int before = route.problems.count();
        Object value = read.get();
        if (route.problems.count() == before) {
            this.read.put(key, Optional.ofNullable(value));
        }
        return value;
    }
}
