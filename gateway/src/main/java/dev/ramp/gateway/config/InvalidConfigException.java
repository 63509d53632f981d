package dev.ramp.gateway.config;

import java.util.List;
import java.util.stream.Collectors;

/** A config file that cannot be used, with every problem found (never just the first). */
public final class InvalidConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<ConfigProblem> problems;

    public InvalidConfigException(List<ConfigProblem> problems) {
        super(problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + " in config:\n  "
              + problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n  ")));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
