package dev.ramp.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ramp.gateway.config.GatewayConfig;
import dev.ramp.gateway.testing.TestConfigs;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A port already taken names the listener and its address, and nothing is announced as serving. */
class PortClashTest {
    @TempDir
    Path dir;

    private GatewayConfig config(String listen, String admin) {
        String conf = TestConfigs.gateway(dir, TestConfigs.route("shop", 9001, 9002, "5%", ""), "")
                .replace("listen { host = \"127.0.0.1\", port = 0", "listen { host = \"127.0.0.1\", port = " + listen)
                .replace("admin { host = \"127.0.0.1\", port = 0", "admin { host = \"127.0.0.1\", port = " + admin);
        return TestConfigs.load(dir, conf);
    }

    @Test
    void aTakenTrafficPortIsNamed() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> Gateway.start(config(String.valueOf(port), "0")).close())
                    .hasMessageContaining("cannot listen for traffic on 127.0.0.1:" + port)
                    .hasMessageContaining("address already in use")
                    .hasMessageContaining("ramp.listen");
        }
    }

    @Test
    void aTakenAdminPortIsNamedAndTheTrafficListenerIsNeverAnnounced() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(Gateway.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> Gateway.start(config("0", String.valueOf(port))).close())
                    .hasMessageContaining("cannot listen for admin API on 127.0.0.1:" + port)
                    .hasMessageContaining("address already in use")
                    .hasMessageContaining("ramp.admin");
            assertThat(lines.list).noneMatch(e -> e.getFormattedMessage().contains("traffic listener on"));
        } finally {
            logger.detachAppender(lines);
        }
    }
}
