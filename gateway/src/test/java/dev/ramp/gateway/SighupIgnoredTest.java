package dev.ramp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.testing.TestConfigs;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway started with SIGHUP ignored (as under {@code nohup}) says at start that SIGHUP reload is
 * unavailable, instead of dropping the signal silently; started normally, it does not.
 */
class SighupIgnoredTest {
    @TempDir
    Path dir;

    private List<String> startAndReadUntilServing(boolean ignoreHup) throws Exception {
        Path conf = TestConfigs.write(dir, "g.conf", TestConfigs.gateway(dir,
                TestConfigs.route("shop", 9001, 9002, "5%", ""), ""));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cmd = (ignoreHup ? "trap '' HUP; " : "") + "exec \"$0\" -cp \"$1\" dev.ramp.gateway.Main run --config \"$2\"";
        Process p = new ProcessBuilder("sh", "-c", cmd, java, System.getProperty("java.class.path"), conf.toString())
                .redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
                if (line.startsWith("Ramp serving on")) {
                    // The SIGHUP check follows right after this line; read what the next moment prints.
                    Thread.sleep(1500);
                    while (r.ready() && (line = r.readLine()) != null) {
                        lines.add(line);
                    }
                    break;
                }
            }
        } finally {
            p.destroy();
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        assertThat(lines).as("the gateway started").anyMatch(l -> l.startsWith("Ramp serving on"));
        return lines;
    }

    @Test
    void anIgnoredSighupIsReportedAtStart() throws Exception {
        assertThat(startAndReadUntilServing(true)).anyMatch(l -> l.contains("SIGHUP reload is unavailable"));
    }

    @Test
    void aNormalStartDoesNotWarn() throws Exception {
        assertThat(startAndReadUntilServing(false)).noneMatch(l -> l.contains("SIGHUP reload is unavailable"));
    }
}
