package dev.ramp.gateway.state;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Optional;

/**
 * What one replica shares with the others: each route's revert state ({@link RouteRecord}), each route's
 * rollout progress (an opaque JSON document), and leases that let one replica at a time do a job. The
 * guard service writes through it and hears the other replicas' newer writes; it never knows whether
 * there are other replicas. {@link #LOCAL} is the single replica: nothing is shared, state stays in
 * {@code state-dir} files as before.
 *
 * <p>Invariants of every implementation: writes never block the caller (they are stamped and kept at
 * once, sent in the background); a write that cannot be sent now is kept and sent later; of two records
 * for the same route the later {@link Stamp} wins on every replica; listeners hear only records newer
 * than any this replica held, on a thread of the implementation's choosing, and must hand off at once.
 */
public interface ReplicaSync {

    /** Hears the other replicas' newer writes. */
    interface Listener {
        /** A newer revert state for {@code record.route()}. */
        void route(RouteRecord record);

        /** Newer rollout progress for {@code route}. */
        default void progress(String route, JsonObject progress) {}
    }

    /** A lease: held by one replica at a time until it is closed or its holder stops renewing it. */
    interface Lease extends AutoCloseable {
        /** Whether this replica holds it now (a holder that lost Redis stops holding at the lease's expiry). */
        boolean held();

        /** Gives it up. */
        @Override
        void close();
    }

    /** The single replica: nothing shared, every lease held. */
    ReplicaSync LOCAL = new ReplicaSync() {
        @Override
        public void listen(Listener listener) {}

        @Override
        public void reverted(Latch latch) {}

        @Override
        public void resumed(String route, String canaryUrl, String canaryVersion) {}

        @Override
        public void restored(Latch latch) {}

        @Override
        public Optional<RouteRecord> latest(String route) {
            return Optional.empty();
        }

        @Override
        public void progress(String route, JsonObject progress) {}

        @Override
        public Optional<JsonObject> latestProgress(String route) {
            return Optional.empty();
        }

        @Override
        public Lease lease(String name, Duration ttl) {
            return new Lease() {
                @Override
                public boolean held() {
                    return true;
                }

                @Override
                public void close() {}
            };
        }

        @Override
        public String toString() {
            return "ReplicaSync.LOCAL";
        }
    };

    /** Adds a listener; set them up before the gateway starts. */
    void listen(Listener listener);

    /** This replica's id, as its records name it. */
    default String replica() {
        return "local";
    }

    /** This replica reverted {@code latch.route()}: share it, stamped now. */
    void reverted(Latch latch);

    /** This replica resumed {@code route}'s canary: share it, stamped now. */
    void resumed(String route, String canaryUrl, String canaryVersion);

    /**
     * A latch read back from {@code state-dir} at start: shared (stamped at {@code latch.at()}, writer
     * unknown) unless a later record is known, so a revert made while Redis was away or empty comes back.
     */
    void restored(Latch latch);

    /** The latest revert state known for {@code route}, from any replica. */
    Optional<RouteRecord> latest(String route);

    /** This replica's rollout progress for {@code route}: share it, stamped now. */
    void progress(String route, JsonObject progress);

    /** The latest rollout progress known for {@code route}, from any replica. */
    Optional<JsonObject> latestProgress(String route);

    /**
     * A lease named {@code name}, tried for at once and then renewed every third of {@code ttl} for as long
     * as it is open; another replica's lease of the same name is held only after this one expires or closes.
     */
    Lease lease(String name, Duration ttl);
}
