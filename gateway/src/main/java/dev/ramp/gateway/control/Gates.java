package dev.ramp.gateway.control;

import dev.ramp.gateway.rollout.GateAnswer;
import io.vertx.core.Future;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Asks a rollout plan's gates before a step up. An implementation never blocks its caller (the guard
 * thread): the answers arrive later, one per gate, in the order given; it never fails, a gate that could
 * not be asked is an answer that holds.
 */
@FunctionalInterface
interface Gates {

    /** GETs each of {@code urls}; a gate that has not answered within {@code timeout} holds. */
    Future<List<GateAnswer>> ask(List<URI> urls, Duration timeout);
}
