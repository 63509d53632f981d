package dev.ramp.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.config.ConfigLoader;
import dev.ramp.gateway.config.GatewayConfig;
import dev.ramp.gateway.testing.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo runs with an admin token even when its config sets none, and keeps it across edits of that config. */
class DemoTokenTest {
    @TempDir
    Path dir;

    @Test
    void theWrapperAddsTheTokenAndStillFollowsEditsOfTheDemoConfig() throws Exception {
        String conf = TestConfigs.gateway(dir, TestConfigs.route("demo", 9001, 9002, "10%", ""), "")
                .replace(", token = \"test-token\"", "");
        Path demo = TestConfigs.write(dir, "demo.conf", conf);
        assertThat(ConfigLoader.load(demo).admin().token()).isEmpty();

        String token = DemoToken.fresh();
        assertThat(token).matches("[0-9a-f]{32}").isNotEqualTo(DemoToken.fresh());
        Path wrapper = DemoToken.wrap(demo, token, Files.createDirectories(dir.resolve("wrap")));
        GatewayConfig c = ConfigLoader.load(wrapper);
        assertThat(c.admin().token()).hasValue(token);
        assertThat(c.routes().get(0).weight().toString()).isEqualTo("10%");
        assertThat(c.sources()).as("the demo config is watched for edits").contains(demo.toAbsolutePath().normalize());

        Files.writeString(demo, conf.replace("\"10%\"", "\"25%\""));
        GatewayConfig edited = ConfigLoader.load(wrapper);
        assertThat(edited.routes().get(0).weight().toString()).isEqualTo("25%");
        assertThat(edited.admin().token()).hasValue(token);
    }
}
