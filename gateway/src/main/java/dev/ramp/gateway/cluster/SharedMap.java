package dev.ramp.gateway.cluster;

import dev.ramp.gateway.state.Stamp;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One kind of shared record (revert states, rollout progress) as this replica knows it: per key, the
 * latest stamped value from any replica. In Redis it is two hashes, {@code <prefix><name>:stamps} (key to
 * {@link Stamp#key()}) and {@code <prefix><name>:values} (key to the JSON), written together by one script
 * that keeps the later stamp.
 *
 * <p>Invariants: a key's stamp only moves forward ({@link #offer} keeps the later of two); values are
 * copied in and out. Thread-safe.
 */
final class SharedMap {
    /** A value and its stamp. */
    record Entry(Stamp stamp, JsonObject value) {}

    private final String name;
    private final String stampsKey;
    private final String valuesKey;
    private final Map<String, Entry> known = new ConcurrentHashMap<>();

    SharedMap(String prefix, String name) {
        this.name = name;
        this.stampsKey = prefix + name + ":stamps";
        this.valuesKey = prefix + name + ":values";
    }

    /** The map's name in pub/sub messages: {@code "routes"} or {@code "progress"}. */
    String name() {
        return name;
    }

    String stampsKey() {
        return stampsKey;
    }

    String valuesKey() {
        return valuesKey;
    }

    /** Keeps {@code value} for {@code key} if {@code stamp} is later than the one known; true if it did. */
    boolean offer(String key, Stamp stamp, JsonObject value) {
        boolean[] taken = new boolean[1];
        known.compute(key, (k, old) -> {
            if (old == null || stamp.after(old.stamp())) {
                taken[0] = true;
                return new Entry(stamp, value.copy());
            }
            return old;
        });
        return taken[0];
    }

    Optional<Entry> get(String key) {
        Entry e = known.get(key);
        return e == null ? Optional.empty() : Optional.of(new Entry(e.stamp(), e.value().copy()));
    }

    /** Every key and its entry, as of now (values not copied: do not change them). */
    Map<String, Entry> entries() {
        return Map.copyOf(known);
    }
}
