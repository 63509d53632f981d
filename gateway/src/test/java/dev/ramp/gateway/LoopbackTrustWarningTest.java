package dev.ramp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.testing.TestConfigs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trusting loopback is only safe while the traffic listener is on loopback itself. */
class LoopbackTrustWarningTest {
    @TempDir
    Path dir;

    private java.util.Optional<String> warning(String host, String extra) {
        String conf = TestConfigs.gateway(dir, TestConfigs.route("shop", 9001, 9002, "5%", ""), extra)
                .replace("listen { host = \"127.0.0.1\"", "listen { host = \"" + host + "\"");
        return StartupMessages.loopbackTrustWarning(TestConfigs.load(dir, conf));
    }

    @Test
    void aListenerOnAllInterfacesThatTrustsLoopbackIsWarnedAbout() {
        assertThat(warning("0.0.0.0", "")).hasValueSatisfying(w -> assertThat(w)
                .contains("ramp.trusted-sources trusts loopback", "0.0.0.0"));
    }

    @Test
    void loopbackListenersAndLoadBalancerOnlyTrustAreFine() {
        assertThat(warning("127.0.0.1", "")).isEmpty();
        assertThat(warning("0.0.0.0", "trusted-sources = [\"10.0.0.0/8\"]")).isEmpty();
    }
}
