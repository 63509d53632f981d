package dev.ramp.gateway.rollout;

import java.io.IOException;

/**
 * Where each route's plan {@link Progress} survives a restart. The embedded store is a file per route in
 * state-dir ({@code dev.ramp.gateway.state.RolloutFiles}); a store shared by replicas can take its place.
 *
 * <p>Reads happen once per route, before the listener opens; writes and deletes on the guard thread, in
 * order. Implementations may block (file or network I/O), never on an event loop.
 */
public interface ProgressStore {

    /** The route's saved progress: absent, present, or there but unusable. */
    ProgressRead read(String route);

    /** Replaces the route's progress, atomically: a reader sees the old one or the new one. */
    void write(String route, Progress progress) throws IOException;

    /** Forgets the route's progress (its plan was removed from the config). */
    void delete(String route) throws IOException;

    /** Where the route's progress lives, for messages: a file, a key. */
    String location(String route);
}
