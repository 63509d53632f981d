package dev.ramp.gateway;

import dev.ramp.gateway.config.GatewayConfig;
import dev.ramp.gateway.config.RouteConfig;
import dev.ramp.gateway.config.Upstream;
import dev.ramp.gateway.routing.Version;
import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the gateway says about a config as it starts or reloads, beyond validity: warnings an operator must
 * not miss (unverified https upstreams, loopback trusted behind a local proxy) and the message of a listener
 * that cannot bind. Pure functions of the config, so each is tested without starting anything.
 */
final class StartupMessages {
    private StartupMessages() {}

    /**
     * One warning per https upstream whose certificate is not verified ({@code tls.insecure-skip-verify}),
     * naming its route and version: logged at start and at every reload, so it is never forgotten.
     */
    static List<String> insecureUpstreamWarnings(GatewayConfig config) {
        List<String> warnings = new ArrayList<>();
        for (RouteConfig rc : config.routes()) {
            for (Version v : Version.values()) {
                Upstream u = v == Version.CANARY ? rc.canary() : rc.stable();
                if (u.ssl() && u.tls().insecureSkipVerify()) {
                    warnings.add("INSECURE: route " + rc.name() + " " + v.tag() + " upstream " + u.url()
                                 + " (version " + u.version() + ") is used WITHOUT verifying its TLS certificate "
                                 + "(tls.insecure-skip-verify = true): anyone on the network path can impersonate it");
                }
            }
        }
        return warnings;
    }

    /**
     * A warning when {@code trusted-sources} trusts loopback while the traffic listener is not on loopback: a
     * TLS terminator or sidecar on the same host then makes every client trusted, able to force the canary and
     * to set X-Forwarded-For.
     */
    static Optional<String> loopbackTrustWarning(GatewayConfig config) {
        String host = config.listen().host();
        boolean onLoopback;
        try {
            onLoopback = InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            onLoopback = false;
        }
        boolean trustsLoopback = config.trustedSources().stream()
                .anyMatch(c -> c.contains("127.0.0.1") || c.contains("::1"));
        if (onLoopback || !trustsLoopback) {
            return Optional.empty();
        }
        return Optional.of("ramp.trusted-sources trusts loopback while the traffic listener is on " + host
                + ": a proxy or TLS terminator on this host would make every client trusted (override header,"
                + " X-Forwarded-For); list only the addresses of your load balancers");
    }

    /** "cannot listen for traffic on 127.0.0.1:8080: address already in use (ramp.listen)". */
    static String cannotListen(String what, String host, int port, Exception e) {
        String reason = String.valueOf(e.getMessage());
        if (reason.contains("Address already in use") || e instanceof BindException) {
            reason = "address already in use (another process listens there)";
        }
        String key = what.equals("traffic") ? "ramp.listen" : "ramp.admin";
        return "cannot listen for " + what + " on " + host + ":" + port + ": " + reason + " (" + key + ")";
    }
}
