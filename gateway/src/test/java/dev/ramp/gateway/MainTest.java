package dev.ramp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.testing.TestConfigs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's exit codes and messages (docs/operations.md). */
class MainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut;
    private PrintStream oldErr;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    @Test
    void validateAcceptsTheShippedConfigs() {
        assertThat(Main.execute("validate", "--config", "../config/gateway.conf")).isZero();
        assertThat(Main.execute("validate", "--config", "../config/demo.conf")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("is valid");
    }

    @Test
    void validateExits2ListingEveryProblemWithFileAndLine() {
        Path bad = TestConfigs.write(dir, "bad.conf", """
                ramp {
                  routes = [ { name = "a", weight = "5" } ]
                }
                """);
        assertThat(Main.execute("validate", "--config", bad.toString())).isEqualTo(2);
        String e = err.toString(StandardCharsets.UTF_8);
        assertThat(e).contains("bad.conf:2: ramp.routes[0].weight")
                .contains("bad.conf:2: ramp.routes[0].stable: is required")
                .contains("bad.conf:2: ramp.routes[0].canary: is required");
    }

    @Test
    void runRefusesAnInvalidConfigWithExit2() {
        Path bad = TestConfigs.write(dir, "bad.conf", "ramp { routes = [ { name = 1 } ] }");
        assertThat(Main.execute("run", "--config", bad.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("invalid config");
    }

    @Test
    void badUsageExits2() {
        assertThat(Main.execute("validate")).isEqualTo(2);
        assertThat(Main.execute("frobnicate")).isEqualTo(2);
        assertThat(Main.execute()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Missing required option: '--config=FILE'");
    }

    @Test
    void helpExits0() {
        assertThat(Main.execute("--help")).isZero();
        assertThat(Main.execute("run", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("validate").contains("demo").contains("--config");
    }
}
