package dev.ramp.gateway.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.rollout.Progress;
import dev.ramp.gateway.rollout.ProgressRead;
import dev.ramp.gateway.rollout.RolloutState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rollout progress files: round trip, atomic replacement, and every way a file can be unusable. */
class RolloutFilesTest {
    @TempDir
    Path dir;

    private static final Progress P = new Progress(RolloutState.WAITING_GATE, 2500,
            Instant.parse("2026-12-02T10:15:00.123Z"), 812, "gate http://g/ok held the step: 503",
            "http://127.0.0.1:9002", "v1.5.0");

    @Test
    void whatIsWrittenIsReadBackExactly() throws Exception {
        RolloutFiles files = new RolloutFiles(dir);
        assertThat(files.read("shop")).isEqualTo(ProgressRead.ABSENT);
        files.write("shop", P);
        assertThat(files.read("shop")).isEqualTo(new ProgressRead.Present(P));
        Progress next = new Progress(RolloutState.PROGRESSING, 5000, Instant.parse("2026-12-02T10:30:00Z"), 0, null,
                P.canaryUrl(), P.canaryVersion());
        files.write("shop", next);
        assertThat(files.read("shop")).isEqualTo(new ProgressRead.Present(next));
        assertThat(files.file("shop")).isEqualTo(dir.resolve("rollouts").resolve("shop.json"));
        try (var listing = Files.list(dir.resolve("rollouts"))) {
            assertThat(listing.map(f -> f.getFileName().toString())).containsExactly("shop.json");
        }
    }

    @Test
    void aRouteWhoseNameEndsInRolloutDoesNotShareAFileWithItsLatch() throws Exception {
        RolloutFiles files = new RolloutFiles(dir);
        LatchStore latches = new LatchStore(dir);
        assertThat(files.file("shop")).isNotEqualTo(latches.file("shop.rollout")).isNotEqualTo(latches.file("shop"));
    }

    @Test
    void deleteForgetsTheProgress() throws Exception {
        RolloutFiles files = new RolloutFiles(dir);
        files.write("shop", P);
        files.delete("shop");
        files.delete("shop");
        assertThat(files.read("shop")).isEqualTo(ProgressRead.ABSENT);
    }

    @Test
    void unusableFilesAreCorruptNeverAbsent() throws Exception {
        RolloutFiles files = new RolloutFiles(dir);
        Files.createDirectories(files.file("shop").getParent());
        for (String content : new String[] {"", "{", "[]", "{\"route\":\"shop\"}",
                "{\"route\":\"other\",\"state\":\"paused\"}",
                RolloutJson.toJson("shop", P).put("state", "flying").encode(),
                RolloutJson.toJson("shop", P).put("weightBasisPoints", 20_000).encode(),
                RolloutJson.toJson("shop", P).put("stepStartedAt", "yesterday").encode()}) {
            Files.writeString(files.file("shop"), content);
            assertThat(files.read("shop")).as(content).isInstanceOf(ProgressRead.Corrupt.class);
        }
    }
}
