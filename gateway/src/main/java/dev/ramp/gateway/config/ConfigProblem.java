package dev.ramp.gateway.config;

/**
 * One thing wrong with a config file: where (file and line, as Typesafe Config's origin reports it), which
 * path, and what was expected. {@link #toString()} is the line printed by {@code validate} and the log.
 */
public record ConfigProblem(String file, int line, String path, String message) {

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(file == null ? "<unknown file>" : file);
        if (line > 0) {
            sb.append(':').append(line);
        }
        sb.append(": ");
        if (path != null && !path.isEmpty()) {
            sb.append(path).append(": ");
        }
        return sb.append(message).toString();
    }
}
