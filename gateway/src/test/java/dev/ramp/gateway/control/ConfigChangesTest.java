package dev.ramp.gateway.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.config.GatewayConfig;
import dev.ramp.gateway.events.EventLog;
import dev.ramp.gateway.events.RouteAdded;
import dev.ramp.gateway.events.RouteRemoved;
import dev.ramp.gateway.events.UpstreamChanged;
import dev.ramp.gateway.events.WeightChanged;
import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.proxy.RoutingSnapshot;
import dev.ramp.gateway.routing.Version;
import dev.ramp.gateway.testing.TestConfigs;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A config swap records exactly what differs between the two snapshots. */
class ConfigChangesTest {
    @TempDir
    Path dir;

    private RoutingSnapshot snapshot(String... routes) {
        GatewayConfig config = TestConfigs.load(dir, TestConfigs.gateway(dir, String.join(",\n", routes), ""));
        return new RoutingSnapshot(config, config.routes().stream().map(rc -> new LiveRoute(rc, null)).toList());
    }

    private static Map<String, LiveRoute> byName(RoutingSnapshot s) {
        Map<String, LiveRoute> out = new HashMap<>();
        s.routes().forEach(r -> out.put(r.name(), r));
        return out;
    }

    @Test
    void anIdenticalConfigChangesNothing() {
        String shop = TestConfigs.route("shop", 9001, 9002, "5%", "");
        assertThat(ConfigChanges.between(byName(snapshot(shop)), snapshot(shop))).isEmpty();
    }

    @Test
    void additionsWeightsUpstreamsAndRemovalsAreEachOneEvent() {
        RoutingSnapshot before = snapshot(TestConfigs.route("shop", 9001, 9002, "5%", ""),
                TestConfigs.route("gone", 9005, 9006, "1%", ""));
        RoutingSnapshot after = snapshot(TestConfigs.route("shop", 9001, 9003, "10%", ""),
                TestConfigs.route("new", 9007, 9008, "2%", ""));

        List<EventLog.Event> events = ConfigChanges.between(byName(before), after);

        assertThat(events).hasSize(4);
        assertThat(events.get(0)).isInstanceOfSatisfying(WeightChanged.class, w -> {
            assertThat(w.route()).isEqualTo("shop");
            assertThat(w.from().toString()).isEqualTo("5%");
            assertThat(w.to().toString()).isEqualTo("10%");
            assertThat(w.reverted()).isFalse();
        });
        assertThat(events.get(1)).isInstanceOfSatisfying(UpstreamChanged.class, u -> {
            assertThat(u.role()).isEqualTo(Version.CANARY);
            assertThat(u.to().url().getPort()).isEqualTo(9003);
        });
        assertThat(events.get(2)).isEqualTo(new RouteAdded("new", after.route("new").config().weight()));
        assertThat(events.get(3)).isEqualTo(new RouteRemoved("gone"));
    }
}
