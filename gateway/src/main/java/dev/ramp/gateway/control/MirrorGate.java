package dev.ramp.gateway.control;

import dev.ramp.gateway.config.MirrorSettings;
import dev.ramp.gateway.proxy.mirror.MirrorStats;
import dev.ramp.gateway.proxy.mirror.MirrorVerdict;
import dev.ramp.gateway.rollout.GateAnswer;
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

    /** The URL gates' answers after the mirror's ({@code mirror} null: not asked for this step). */
    static List<GateAnswer> with(GateAnswer mirror, List<GateAnswer> urls) {
        if (mirror == null) {
            return urls;
        }
        List<GateAnswer> all = new ArrayList<>(urls.size() + 1);
        all.add(mirror);
        all.addAll(urls);
        return all;
    }
}
