package dev.ramp.gateway.state;

import static java.util.Objects.requireNonNull;

import dev.ramp.gateway.rollout.Progress;
import dev.ramp.gateway.rollout.ProgressRead;
import dev.ramp.gateway.rollout.ProgressStore;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Rollout progress on disk, one file per route: {@code <stateDir>/rollouts/<route>.json} (a directory of its
 * own, since route names may contain dots and {@code <route>.json} beside it is the route's latch). Written
 * atomically ({@link AtomicFile}); a file that exists but is not this route's progress reads as
 * {@linkplain ProgressRead.Corrupt corrupt}, never as absent. Blocking: call it off the event loops.
 */
public final class RolloutFiles implements ProgressStore {

    private final Path dir;

    /** Progress files under {@code stateDir/rollouts} (created on the first write). */
    public RolloutFiles(Path stateDir) {
        this.dir = requireNonNull(stateDir, "stateDir").resolve("rollouts");
    }

    /** The file holding {@code route}'s progress. */
    public Path file(String route) {
        return RouteFiles.of(dir, route);
    }

    @Override
    public String location(String route) {
        return file(route).toString();
    }

    @Override
    public synchronized void write(String route, Progress progress) throws IOException {
        AtomicFile.write(file(route), RolloutJson.toJson(route, progress).encodePrettily()
                .getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public synchronized void delete(String route) throws IOException {
        AtomicFile.delete(file(route));
    }

    @Override
    public ProgressRead read(String route) {
        Path file = file(route);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return ProgressRead.ABSENT;
        } catch (IOException | RuntimeException e) {
            return new ProgressRead.Corrupt(file + ": unreadable: " + e);
        }
        try {
            JsonObject json = new JsonObject(text);
            if (!route.equals(json.getValue("route"))) {
                return new ProgressRead.Corrupt(file + ": holds the progress of route " + json.getValue("route"));
            }
            return new ProgressRead.Present(RolloutJson.fromJson(json));
        } catch (DecodeException e) {
            return new ProgressRead.Corrupt(file + ": not a JSON object: " + e.getMessage());
        } catch (IllegalArgumentException | ClassCastException e) {
            return new ProgressRead.Corrupt(file + ": not a rollout progress: " + e.getMessage());
        }
    }
}
