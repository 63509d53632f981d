package dev.ramp.gateway.config;

import com.typesafe.config.ConfigOrigin;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects problems; each problem's file and line come from the value's origin. */
final class Problems {
    private final String display;
    private final List<ConfigProblem> list = new ArrayList<>();

    Problems(String display) {
        this.display = display;
    }

    void add(ConfigOrigin origin, String path, String message) {
        String file = origin != null && origin.filename() != null ? origin.filename() : display;
        int line = origin != null ? origin.lineNumber() : 0;
        list.add(new ConfigProblem(file, Math.max(line, 0), path, message));
    }

    int count() {
        return list.size();
    }

    boolean any() {
        return !list.isEmpty();
    }

    void throwIfAny() throws InvalidConfigException {
        if (!list.isEmpty()) {
            list.sort(Comparator.comparing(ConfigProblem::file).thenComparingInt(ConfigProblem::line));
            throw new InvalidConfigException(list);
        }
    }
}
