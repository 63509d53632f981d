package dev.ramp.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.config.Percent;
import dev.ramp.gateway.config.Upstream;
import dev.ramp.gateway.events.AlertUnmatched;
import dev.ramp.gateway.events.CanaryReplaced;
import dev.ramp.gateway.events.CertificatesRejected;
import dev.ramp.gateway.events.CertificatesReloaded;
import dev.ramp.gateway.events.ConfigRejected;
import dev.ramp.gateway.events.ConfigReloaded;
import dev.ramp.gateway.events.EventLog;
import dev.ramp.gateway.events.LatchCorrupt;
import dev.ramp.gateway.events.LatchLifted;
import dev.ramp.gateway.events.LatchWriteFailed;
import dev.ramp.gateway.events.Resumed;
import dev.ramp.gateway.events.Reverted;
import dev.ramp.gateway.events.RouteAdded;
import dev.ramp.gateway.events.RouteRemoved;
import dev.ramp.gateway.events.UpstreamChanged;
import dev.ramp.gateway.events.WeightChanged;
import dev.ramp.gateway.routing.Version;
import dev.ramp.gateway.state.AlertCause;
import dev.ramp.gateway.state.Latch;
import dev.ramp.gateway.state.LatchHold;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * Pins the {@code /api/events} JSON of every kind of event, byte for byte: dashboards and scripts read these
 * fields, so a kind's shape may only change on purpose.
 */
class EventJsonTest {
    private static final String AT = "\"at\":\"2026-11-22T10:00:00Z\"";
    private static final Path FILE = Path.of("/var/lib/ramp/shop.json");
    private static final Latch LATCH = new Latch("shop", "error_rate", Instant.parse("2026-11-22T09:59:59.500Z"),
            "http://127.0.0.1:9002", "v2", new JsonObject().put("compared", true));

    private final EventLog log = EventLog.of(10, Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC));

    private String json(EventLog.Event event) {
        return EventJson.entry(log.record(event)).encode();
    }

    @Test
    void revert() {
        assertThat(json(new Reverted(LATCH))).isEqualTo("{" + AT + ",\"type\":\"revert\",\"route\":\"shop\","
                + "\"message\":\"canary v2 reverted to 0% (error_rate)\",\"details\":{\"route\":\"shop\","
                + "\"reason\":\"error_rate\",\"at\":\"2026-11-22T09:59:59.500Z\",\"canaryUrl\":\"http://127.0.0.1:9002\","
                + "\"canaryVersion\":\"v2\",\"evidence\":{\"compared\":true}}}");
    }

    @Test
    void revertByAnAlert() {
        AlertCause alert = new AlertCause("Burn", Map.of("alertname", "Burn", "route", "shop"), Map.of("summary", "s"));
        Latch latch = new Latch("shop", alert.reason(), Instant.parse("2026-11-22T09:59:59.500Z"),
                "http://127.0.0.1:9002", "v2", new JsonObject(), alert);
        assertThat(json(new Reverted(latch))).isEqualTo("{" + AT + ",\"type\":\"revert\",\"route\":\"shop\","
                + "\"message\":\"canary v2 reverted to 0% (alert:Burn)\",\"details\":{\"route\":\"shop\","
                + "\"reason\":\"alert:Burn\",\"at\":\"2026-11-22T09:59:59.500Z\",\"canaryUrl\":\"http://127.0.0.1:9002\","
                + "\"canaryVersion\":\"v2\",\"evidence\":{},\"alert\":{\"name\":\"Burn\",\"labels\":{\"alertname\":\"Burn\","
                + "\"route\":\"shop\"},\"annotations\":{\"summary\":\"s\"}}}}");
    }

    @Test
    void alertUnmatched() {
        AlertCause alert = new AlertCause("Burn", Map.of("alertname", "Burn", "route", "shopp"), Map.of());
        assertThat(json(new AlertUnmatched(alert, "shopp"))).isEqualTo("{" + AT + ",\"type\":\"alert_unmatched\","
                + "\"route\":null,\"message\":\"alert Burn names route \\\"shopp\\\", which is not configured: nothing reverted\","
                + "\"details\":{\"alertname\":\"Burn\",\"routeLabel\":\"shopp\",\"labels\":{\"alertname\":\"Burn\","
                + "\"route\":\"shopp\"}}}");
    }

    @Test
    void resumeByAnOperator() {
        assertThat(json(new Resumed("shop", "v2", Percent.parse("30%"), LatchHold.corrupt("shop", FILE, "empty"))))
                .isEqualTo("{" + AT + ",\"type\":\"resume\",\"route\":\"shop\",\"message\":\"canary v2 resumed at 30% by"
                        + " an operator\",\"details\":{\"reason\":\"operator\",\"was\":{\"route\":\"shop\",\"corrupt\":true,"
                        + "\"problem\":\"empty\",\"file\":\"/var/lib/ramp/shop.json\",\"lift\":\"POST /api/routes/shop/resume,"
                        + " or deploy a new canary (change its version or url in the config); a weight-only edit leaves the"
                        + " route reverted\"}}}");
        assertThat(json(new Resumed("shop", "v2", Percent.parse("30%"), null))).endsWith(
                "\"details\":{\"reason\":\"operator\",\"was\":null}}");
    }

    @Test
    void resumeByANewCanary() {
        assertThat(json(new CanaryReplaced("shop", "v2", "v3", "http://127.0.0.1:9003"))).isEqualTo("{" + AT
                + ",\"type\":\"resume\",\"route\":\"shop\",\"message\":\"new canary v3 at http://127.0.0.1:9003 lifts the"
                + " revert of v2\",\"details\":{\"reason\":\"new_canary\",\"canaryVersion\":\"v3\","
                + "\"canaryUrl\":\"http://127.0.0.1:9003\"}}");
        assertThat(json(new LatchLifted("shop", "v2", "http://a:1", "v3", "http://b:2"))).isEqualTo("{" + AT
                + ",\"type\":\"resume\",\"route\":\"shop\",\"message\":\"latch for canary v2 at http://a:1 lifted: the"
                + " config now has canary v3 at http://b:2\",\"details\":{\"reason\":\"new_canary\"}}");
    }

    @Test
    void latchProblems() {
        assertThat(json(new LatchCorrupt("shop", FILE, "not JSON"))).isEqualTo("{" + AT + ",\"type\":\"latch_corrupt\","
                + "\"route\":\"shop\",\"message\":\"latch file /var/lib/ramp/shop.json is corrupt; the route stays reverted"
                + " until resumed: not JSON\",\"details\":{\"problem\":\"not JSON\"}}");
        assertThat(json(new LatchWriteFailed("shop", FILE, "disk full"))).isEqualTo("{" + AT
                + ",\"type\":\"latch_corrupt\",\"route\":\"shop\",\"message\":\"could not write latch"
                + " /var/lib/ramp/shop.json: disk full\",\"details\":{}}");
    }

    @Test
    void reloads() {
        assertThat(json(new ConfigReloaded(Path.of("/etc/ramp/gateway.conf"), 2))).isEqualTo("{" + AT
                + ",\"type\":\"reload\",\"route\":null,\"message\":\"config /etc/ramp/gateway.conf applied: 2 route(s)\","
                + "\"details\":{\"file\":\"/etc/ramp/gateway.conf\"}}");
        assertThat(json(new ConfigRejected("gateway.conf:3: bad"))).isEqualTo("{" + AT + ",\"type\":\"reload_failed\","
                + "\"route\":null,\"message\":\"config not reloaded, the last good config keeps serving\","
                + "\"details\":{\"error\":\"gateway.conf:3: bad\"}}");
    }

    @Test
    void certificateReloads() {
        assertThat(json(new CertificatesReloaded(List.of("default: CN=shop.test serial 1f")))).isEqualTo("{" + AT
                + ",\"type\":\"tls_reload\",\"route\":null,\"message\":\"TLS certificates reloaded: 1 certificate(s),"
                + " new connections get them\",\"details\":{\"certificates\":[\"default: CN=shop.test serial 1f\"]}}");
        assertThat(json(new CertificatesRejected("/etc/ramp/key.pem: file not found"))).isEqualTo("{" + AT
                + ",\"type\":\"tls_reload_failed\",\"route\":null,\"message\":\"TLS certificates not reloaded, the ones"
                + " served keep serving\",\"details\":{\"error\":\"/etc/ramp/key.pem: file not found\"}}");
    }

    @Test
    void routeChanges() {
        assertThat(json(new RouteAdded("shop", Percent.parse("5%")))).isEqualTo("{" + AT + ",\"type\":\"route_added\","
                + "\"route\":\"shop\",\"message\":\"route added at canary weight 5%\",\"details\":{\"weight\":\"5%\"}}");
        assertThat(json(new RouteRemoved("shop"))).isEqualTo("{" + AT + ",\"type\":\"route_removed\",\"route\":\"shop\","
                + "\"message\":\"route removed\",\"details\":{}}");
        assertThat(json(new WeightChanged("shop", Percent.parse("5%"), Percent.parse("12.5%"), true))).isEqualTo("{" + AT
                + ",\"type\":\"weight_change\",\"route\":\"shop\",\"message\":\"canary weight 5% -> 12.5% (route is"
                + " reverted: effective weight stays 0%)\",\"details\":{\"from\":\"5%\",\"to\":\"12.5%\"}}");
        assertThat(json(new UpstreamChanged("shop", Version.CANARY, new Upstream(URI.create("http://a:1"), "v2"),
                new Upstream(URI.create("http://a:2"), "v3")))).isEqualTo("{" + AT + ",\"type\":\"upstream_change\","
                + "\"route\":\"shop\",\"message\":\"canary upstream http://a:1 (v2) -> http://a:2 (v3)\","
                + "\"details\":{\"role\":\"canary\",\"fromVersion\":\"v2\",\"toVersion\":\"v3\"}}");
    }

    @Test
    void theLogIsServedNewestFirst() {
        log.record(new RouteAdded("a", Percent.ZERO));
        log.record(new RouteRemoved("b"));
        assertThat(EventJson.entries(log.entries()).stream().map(e -> ((JsonObject) e).getString("route")))
                .containsExactly("b", "a");
    }
}
