package dev.ramp.gateway.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code ramp.notify}, each webhook merged over {@code ramp.notify-defaults}, into {@link NotifyTarget}s.
 * Part of {@link ConfigLoader}: every problem is collected with its file and line.
 */
final class NotifyReader {
    private static final int MAX_ATTEMPTS = 20;
    private static final int MAX_QUEUE = 100_000;
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private NotifyReader() {}

    static List<NotifyTarget> read(Config merged, ConfigReader ramp, Problems problems) {
        List<? extends ConfigObject> items = ramp.objectList("notify");
        if (items == null) {
            return List.of();
        }
        ConfigObject defaults = merged.getObject("ramp.notify-defaults");
        List<NotifyTarget> out = new ArrayList<>();
        Map<String, ConfigOrigin> names = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            ConfigObject obj = items.get(i);
            ConfigReader r = new ConfigReader(obj.toConfig().withFallback(defaults), "ramp.notify[" + i + "]",
                    obj.origin(), problems);
            NotifyTarget t = target(r);
            if (t == null) {
                continue;
            }
            ConfigOrigin at = obj.toConfig().hasPath("name") ? obj.toConfig().getValue("name").origin() : obj.origin();
            ConfigOrigin first = names.putIfAbsent(t.name(), at);
            if (first != null) {
                problems.add(at, r.base + ".name", "duplicate notify target \"" + t.name() + "\" (first at "
                        + first.filename() + ":" + first.lineNumber() + "; expected: a unique name per webhook, set"
                        + " name = \"...\" when two share a host)");
                continue;
            }
            out.add(t);
        }
        return out;
    }

    private static NotifyTarget target(ConfigReader r) {
        int before = r.problems.count();
        URI url = url(r);
        NotifyFormat format = r.choice("format", NotifyFormat.values(), NotifyFormat::tag);
        Set<String> events = events(r);
        Duration timeout = r.positiveDuration("timeout");
        Duration backoff = r.positiveDuration("backoff");
        Integer attempts = r.integer("max-attempts");
        if (attempts != null && (attempts < 1 || attempts > MAX_ATTEMPTS)) {
            r.problem("max-attempts", attempts + " (expected: 1.." + MAX_ATTEMPTS + "; 1 means no retry)");
        }
        Integer queue = r.integer("queue");
        if (queue != null && (queue < 1 || queue > MAX_QUEUE)) {
            r.problem("queue", queue + " (expected: 1.." + MAX_QUEUE + ")");
        }
        String name = r.has("name") ? r.string("name") : url == null ? null : url.getHost();
        if (name != null && !RouteReader.ROUTE_NAME.matcher(name).matches()) {
            r.problem("name", "\"" + name + "\" (expected: 1-64 of A-Z a-z 0-9 . _ -; it is a metric tag)");
        }
        Map<String, String> headers = headers(r);
        if (r.problems.count() > before || url == null || format == null || events == null || timeout == null
            || backoff == null || attempts == null || queue == null || name == null || headers == null) {
            return null;
        }
        return new NotifyTarget(name, url, format, events, timeout, attempts, backoff, queue, headers);
    }

    private static URI url(ConfigReader r) {
        String s = r.string("url");
        if (s == null) {
            return null;
        }
        try {
            URI u = new URI(s);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && u.getHost() != null) {
                return u;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        // The value is not echoed: a webhook URL usually carries its secret.
        r.problem("url", "is not an absolute http or https URL (expected: e.g. \"https://hooks.example/x\")");
        return null;
    }

    private static Set<String> events(ConfigReader r) {
        List<String> list = r.stringList("events");
        if (list == null) {
            return null;
        }
        if (list.isEmpty()) {
            r.problem("events", "is empty (expected: some of " + String.join(", ", sorted()) + ")");
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        boolean ok = true;
        for (int i = 0; i < list.size(); i++) {
            if (!NotifyTarget.EVENT_CATEGORIES.contains(list.get(i))) {
                r.problem("events[" + i + "]", "\"" + list.get(i) + "\" (expected: one of " + String.join(", ", sorted())
                        + ")");
                ok = false;
            }
            out.add(list.get(i));
        }
        return ok ? out : null;
    }

    private static List<String> sorted() {
        return NotifyTarget.EVENT_CATEGORIES.stream().sorted().toList();
    }

    private static Map<String, String> headers(ConfigReader r) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!r.has("headers")) {
            return out;
        }
        ConfigReader h = r.object("headers");
        if (h == null) {
            return null;
        }
        for (Map.Entry<String, ConfigValue> e : ConfigObjects.entries(h.config.root())) {
            String key = e.getKey();
            Object value = e.getValue().unwrapped();
            if (!HEADER_NAME.matcher(key).matches()) {
                problems(h, e, "header name \"" + key + "\" (expected: letters, digits and !#$%&'*+.^_`|~-)");
                return null;
            }
            if (!(value instanceof String v) || v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0) {
                // The value is not echoed: it is usually a secret.
                problems(h, e, "header " + key + ": not a one-line string (expected: e.g. \"Bearer \"${?HOOK_TOKEN})");
                return null;
            }
            out.put(key, v);
        }
        return out;
    }

    private static void problems(ConfigReader h, Map.Entry<String, ConfigValue> e, String message) {
        h.problems.add(e.getValue().origin(), h.base, message);
    }
}
