package dev.ramp.gateway.control;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ramp.gateway.config.GatewayConfig;
import dev.ramp.gateway.events.EventLog;
import dev.ramp.gateway.metrics.RampMetrics;
import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.proxy.RoutingSnapshot;
import dev.ramp.gateway.state.LatchStore;
import dev.ramp.gateway.testing.TestConfigs;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A revert reports the weight in force when it happens, not the one the guard was created with. */
class RevertLogTest {
    @TempDir
    Path dir;

    private RoutingSnapshot snapshot(String weight, Map<String, LiveRoute> previous) {
        GatewayConfig config = TestConfigs.load(dir, TestConfigs.gateway(dir,
                TestConfigs.route("shop", 9001, 9002, weight, ""), ""));
        LiveRoute old = previous.get("shop");
        LiveRoute route = old == null ? new LiveRoute(config.routes().get(0), null)
                : new LiveRoute(config.routes().get(0), null, old.state(), old.observer());
        return new RoutingSnapshot(config, List.of(route));
    }

    @Test
    void theRevertLogLineShowsTheWeightOfTheCurrentConfigAfterWeightOnlyReloads() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(Reverts.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        RampMetrics metrics = RampMetrics.create();
        GuardService guards = new GuardService(new LatchStore(dir.resolve("state")), metrics, EventLog.of(),
                System::nanoTime, Clock.systemUTC());
        try {
            RoutingSnapshot first = snapshot("5%", Map.of());
            guards.sync(first, Map.of());
            RoutingSnapshot second = snapshot("50%", Map.of("shop", first.route("shop")));
            guards.sync(second, Map.of("shop", first.route("shop")));

            assertThat(guards.revert("shop", "manual").toCompletionStage().toCompletableFuture()
                    .get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(lines.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                    .contains("canary reverted", "configured weight 50% -> effective 0%"));
            assertThat(lines.list).noneSatisfy(e -> assertThat(e.getFormattedMessage()).contains("weight 5%"));
        } finally {
            logger.detachAppender(lines);
            guards.close();
            metrics.close();
        }
    }
}
