package dev.ramp.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ramp.gateway.testing.TestConfigs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ramp.access-log}: off by default, stdout or a file next to the config, unknown keys refused. */
class AccessLogConfigTest {
    @TempDir
    Path dir;

    GatewayConfig load(String accessLog) throws Exception {
        return ConfigLoader.load(TestConfigs.write(dir, "g.conf", """
                ramp {
                  %s
                  routes = [ { name = "shop", stable { url = "http://127.0.0.1:9001", version = "v1" },
                               canary { url = "http://127.0.0.1:9002", version = "v2" }, weight = "5%%" } ]
                }
                """.formatted(accessLog)));
    }

    @Test
    void theAccessLogIsOffByDefaultAndGoesToStdoutWhenTurnedOn() throws Exception {
        assertThat(load("").accessLog()).isEqualTo(new AccessLogSettings(false, null));
        AccessLogSettings on = load("access-log.enabled = true").accessLog();
        assertThat(on.enabled()).isTrue();
        assertThat(on.file()).isNull();
        assertThat(on.target()).isEqualTo("stdout");
    }

    @Test
    void aRelativePathIsTheConfigFilesNeighbour() throws Exception {
        AccessLogSettings a = load("access-log { enabled = true, path = \"logs/access.log\" }").accessLog();
        assertThat(a.file()).isEqualTo(dir.toAbsolutePath().resolve("logs/access.log"));
        assertThat(load("access-log { enabled = true, path = \"/var/log/ramp/access.log\" }").accessLog().file())
                .isEqualTo(Path.of("/var/log/ramp/access.log"));
    }

    @Test
    void anEmptyPathAnUnknownKeyAndAWrongTypeAreRefusedWithTheirLine() {
        assertThatThrownBy(() -> load("access-log { enabled = true, path = \"\" }"))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("ramp.access-log.path")
                .hasMessageContaining("g.conf:2");
        assertThatThrownBy(() -> load("access-log { enabled = true, file = \"x.log\" }"))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("access-log.file");
        assertThatThrownBy(() -> load("access-log { enabled = maybe }"))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("access-log.enabled");
    }

    @Test
    void aChangedAccessLogIsAChangedConfig() throws Exception {
        assertThat(load("").sameSettings(load("access-log.enabled = true"))).isFalse();
        assertThat(load("").sameSettings(load(""))).isTrue();
    }
}
