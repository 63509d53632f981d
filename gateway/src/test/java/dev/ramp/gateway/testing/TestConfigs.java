package dev.ramp.gateway.testing;

import dev.ramp.gateway.config.ConfigLoader;
import dev.ramp.gateway.config.GatewayConfig;
import dev.ramp.gateway.config.InvalidConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes HOCON into a temp directory and loads it the way the CLI does. */
public final class TestConfigs {
    private TestConfigs() {}

    /** A config with ephemeral listen/admin ports, a state-dir under {@code dir}, and the given routes. */
    public static String gateway(Path dir, String routes, String extra) {
        return """
                ramp {
                  listen { host = "127.0.0.1", port = 0, event-loops = 2 }
                  admin { host = "127.0.0.1", port = 0, token = "test-token" }
                  state-dir = "%s"
                  shutdown-grace = 2s
                  %s
                  routes = [ %s ]
                }
                """.formatted(dir.resolve("state").toString().replace("\\", "/"), extra, routes);
    }

    /** One route named {@code name} over the two upstream ports. */
    public static String route(String name, int stablePort, int canaryPort, String weight, String extra) {
        return """
                {
                  name = "%s"
                  stable { url = "http://127.0.0.1:%d", version = "v1" }
                  canary { url = "http://127.0.0.1:%d", version = "v2" }
                  weight = "%s"
                  %s
                }
                """.formatted(name, stablePort, canaryPort, weight, extra);
    }

    public static Path write(Path dir, String fileName, String content) {
        try {
            Path f = dir.resolve(fileName);
            Files.writeString(f, content);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static GatewayConfig load(Path dir, String content) {
        try {
            return ConfigLoader.load(write(dir, "gateway.conf", content));
        } catch (InvalidConfigException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }
}
