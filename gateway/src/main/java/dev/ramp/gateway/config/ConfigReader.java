package dev.ramp.gateway.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/** Typed access to one object of the config that records a problem (and returns null) on bad values. */
final class ConfigReader {
    /** RFC 9110 token: header and cookie names. */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern RATIO_PERCENT = Pattern.compile("\\s*(\\d{1,5})(\\.\\d{1,2})?\\s*%\\s*");

    final Config config;
    final String base;
    final ConfigOrigin origin;
    final Problems problems;

    ConfigReader(Config config, String base, ConfigOrigin origin, Problems problems) {
        this.config = config;
        this.base = base;
        this.origin = origin;
        this.problems = problems;
    }

    boolean has(String key) {
        return config.hasPath(key);
    }

    void problem(String key, String message) {
        ConfigOrigin at = origin;
        String first = key.replaceAll("\\[\\d+]$", "");
        if (config.hasPathOrNull(first)) {
            at = config.getValue(first).origin();
        }
        problems.add(at, base + "." + key, message);
    }

    private <T> T read(String key, String expected, java.util.function.Function<String, T> getter) {
        if (!config.hasPathOrNull(key)) {
            problems.add(origin, base + "." + key, "is required (expected: " + expected + ")");
            return null;
        }
        try {
            return getter.apply(key);
        } catch (ConfigException.Null e) {
            problem(key, "is null (expected: " + expected + ")");
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            problem(key, describe(key) + " (expected: " + expected + ")");
        }
        return null;
    }

    private String describe(String key) {
        ConfigValue v = config.getValue(key);
        return v.valueType() == ConfigValueType.STRING ? "\"" + v.unwrapped() + "\""
                : v.valueType().name().toLowerCase(java.util.Locale.ROOT) + " " + v.render();
    }

    ConfigReader object(String key) {
        ConfigObject obj = read(key, "an object { ... }", config::getObject);
        return obj == null ? null : new ConfigReader(obj.toConfig(), base + "." + key, obj.origin(), problems);
    }

    List<? extends ConfigObject> objectList(String key) {
        return read(key, "a list of objects [ { ... } ]", config::getObjectList);
    }

    String string(String key) {
        if (config.hasPath(key) && config.getValue(key).valueType() != ConfigValueType.STRING) {
            problem(key, describe(key) + " (expected: a string)");
            return null;
        }
        return read(key, "a string", config::getString);
    }

    /**
     * The one of {@code choices} whose config tag the string at {@code key} is (case-insensitive); null when
     * absent, or after a problem listing every tag.
     */
    <E extends Enum<E>> E choice(String key, E[] choices, java.util.function.Function<E, String> tag) {
        String v = string(key);
        if (v == null) {
            return null;
        }
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < choices.length; i++) {
            if (tag.apply(choices[i]).equalsIgnoreCase(v)) {
                return choices[i];
            }
            expected.append(i == 0 ? "" : i == choices.length - 1 ? " or " : ", ")
                    .append('"').append(tag.apply(choices[i])).append('"');
        }
        problem(key, "\"" + v + "\" (expected: " + expected + ")");
        return null;
    }

    String token(String key) {
        String v = string(key);
        if (v != null && !TOKEN.matcher(v).matches()) {
            problem(key, "\"" + v + "\" (expected: a header or cookie name: letters, digits and !#$%&'*+.^_`|~-)");
            return null;
        }
        return v;
    }

    Integer integer(String key) {
        return read(key, "a whole number", config::getInt);
    }

    Double number(String key) {
        return read(key, "a number such as 2", config::getDouble);
    }

    Boolean bool(String key) {
        return read(key, "true or false", config::getBoolean);
    }

    Long bytes(String key) {
        return read(key, "a size such as 64KiB", config::getBytes);
    }

    Duration duration(String key) {
        return read(key, "a duration such as 500ms, 2s or 30d", config::getDuration);
    }

    Duration positiveDuration(String key) {
        Duration d = duration(key);
        if (d != null && (d.isZero() || d.isNegative())) {
            problem(key, d + " (expected: a positive duration such as 2s)");
            return null;
        }
        return d;
    }

    List<String> stringList(String key) {
        return read(key, "a list of strings", config::getStringList);
    }

    List<Integer> intList(String key) {
        return read(key, "a list of whole numbers", config::getIntList);
    }

    Percent percent(String key) {
        if (config.hasPath(key) && config.getValue(key).valueType() != ConfigValueType.STRING) {
            problem(key, describe(key) + " (expected: a percentage string such as \"5%\" or \"12.5%\")");
            return null;
        }
        String s = read(key, "a percentage string such as \"5%\"", config::getString);
        if (s == null) {
            return null;
        }
        try {
            return Percent.parse(s);
        } catch (IllegalArgumentException e) {
            problem(key, e.getMessage());
            return null;
        }
    }

    /** A percentage that may exceed 100 %, returned as a ratio ("50%" = 0.5). */
    Double ratioPercent(String key) {
        if (config.hasPath(key) && config.getValue(key).valueType() != ConfigValueType.STRING) {
            problem(key, describe(key) + " (expected: a percentage string such as \"50%\")");
            return null;
        }
        String s = read(key, "a percentage string such as \"50%\"", config::getString);
        if (s == null) {
            return null;
        }
        var m = RATIO_PERCENT.matcher(s);
        if (!m.matches()) {
            problem(key, "\"" + s + "\" (expected: a percentage string such as \"50%\", at most 2 decimals)");
            return null;
        }
        return Double.parseDouble(m.group(1) + (m.group(2) == null ? "" : m.group(2))) / 100.0;
    }
}
