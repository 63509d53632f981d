package dev.ramp.gateway.control;

import dev.ramp.gateway.config.MirrorSettings;
import dev.ramp.gateway.proxy.mirror.MirrorStats;
import dev.ramp.gateway.proxy.mirror.MirrorVerdict;
import dev.ramp.gateway.rollout.GateAnswer;
import io.vertx.core.Future;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The dark-launch verdict asked as a rollout gate ({@code rollout.mirror-gate}): before a plan's first step,
 * a verdict that does not pass holds the plan in {@code waiting_gate} like a URL gate that did not answer 2xx,
 * named {@value #NAME} in the reason and the {@code rollout_gate_held} event. Asked on the guard thread; reads
 * the route's windows without blocking.
 */
final class MirrorGate {
    static final String NAME = "mirror";

    private MirrorGate() {
    }

    /** The verdict now, as a gate's answer: passed only on {@code pass}; its detail is the state and why. */
    static GateAnswer answer(MirrorStats stats, MirrorSettings settings) {
        if (stats == null || settings == null) {
            return new GateAnswer(NAME, false, "the route has no dark launch (no mirror block)");
        }
        MirrorVerdict v = stats.verdict(settings.verdict());
        return new GateAnswer(NAME, v.state() == MirrorVerdict.State.PASS, v.state().tag() + ": " + v.reason());
    }

    /**
     * Asks a plan's gates before it steps up from its weight: the dark-launch verdict first (now, on the guard
     * thread) when the step is mirror-gated, then the URLs through {@code gates}; the answers in that order.
     */
    static Future<List<GateAnswer>> ask(RoutePlan rp, Gates gates, Duration timeout) {
        GateAnswer mirror = rp.plan.mirrorGated(rp.progress.weight()) ? answer(rp.mirror, rp.config.mirror()) : null;
        List<URI> urls = rp.config.rollout().gates();
        Future<List<GateAnswer>> asked = urls.isEmpty() ? Future.succeededFuture(List.of()) : gates.ask(urls, timeout);
        if (mirror == null) {
            return asked;
        }
        return asked.map(answers -> {
            List<GateAnswer> all = new ArrayList<>(answers.size() + 1);
            all.add(mirror);
            all.addAll(answers);
            return all;
        });
    }
}
