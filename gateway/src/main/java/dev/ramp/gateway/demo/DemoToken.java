package dev.ramp.gateway.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The demo's admin token. A demo without one would answer its own printed kill-switch and resume hints with
 * 403, and a reverted demo route would stay reverted across restarts. So when the demo config sets no token,
 * the demo runs from a small wrapper file that includes the config and adds a fresh token: edits to the
 * config still reload (the include is watched), and the token stays.
 */
public final class DemoToken {
    private DemoToken() {}

    /** A fresh random token: 128 bits, hex. */
    public static String fresh() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * Writes {@code dir/demo-with-token.conf}, which includes {@code config} and sets {@code token}; returns it.
     */
    public static Path wrap(Path config, String token, Path dir) throws IOException {
        Path wrapper = dir.resolve("demo-with-token.conf");
        String include = config.toAbsolutePath().normalize().toString().replace("\\", "\\\\").replace("\"", "\\\"");
        Files.writeString(wrapper, "# Written by `ramp demo`: the demo config plus a fresh admin token.\n"
                + "include file(\"" + include + "\")\n"
                + "ramp.admin.token = \"" + token + "\"\n");
        return wrapper;
    }
}
