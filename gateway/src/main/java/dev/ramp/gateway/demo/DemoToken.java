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
        return wrap(config, token, null, null, dir);
    }

    /**
     * Writes {@code dir/demo-with-token.conf}, which includes {@code config} and sets {@code token} (unless
     * null) and, unless null, TLS with {@code cert} and {@code key} ({@code demo --tls}); returns it.
     */
    public static Path wrap(Path config, String token, Path cert, Path key, Path dir) throws IOException {
        Path wrapper = dir.resolve("demo-with-token.conf");
        StringBuilder conf = new StringBuilder("# Written by `ramp demo`: the demo config plus a fresh admin token"
                + " or a self-signed certificate.\n");
        conf.append("include file(").append(quoted(config)).append(")\n");
        if (token != null) {
            conf.append("ramp.admin.token = \"").append(token).append("\"\n");
        }
        if (cert != null) {
            conf.append("ramp.listen.tls { cert = ").append(quoted(cert)).append(", key = ").append(quoted(key))
                    .append(" }\n");
        }
        Files.writeString(wrapper, conf);
        return wrapper;
    }

    private static String quoted(Path p) {
        return "\"" + p.toAbsolutePath().normalize().toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
