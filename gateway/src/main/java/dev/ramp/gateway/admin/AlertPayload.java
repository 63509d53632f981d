package dev.ramp.gateway.admin;

import dev.ramp.gateway.state.AlertCause;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Alertmanager's webhook payload, version 4, read strictly enough that a malformed body changes nothing:
 * {@link #parse} checks the whole body before any alert is acted on, and its exception names the first
 * problem by its JSON path ({@code alerts[2].labels.alertname: missing ...}).
 *
 * <p>Only what Ramp acts on is read: {@code version}, and per alert {@code status}, {@code labels} (with
 * {@code alertname}) and {@code annotations}; every other field (groupKey, receiver, startsAt, ...) is
 * ignored, so newer Alertmanagers that add fields are still understood.
 */
final class AlertPayload {
    /** The payload version this reader understands. */
    static final String VERSION = "4";
    /** The label naming the route an alert reverts. */
    static final String ROUTE_LABEL = "route";

    /**
     * One alert of the payload.
     *
     * @param firing true for {@code "firing"}, false for {@code "resolved"}
     * @param cause its name, labels and annotations
     * @param route its {@code route} label, or null
     */
    record Alert(boolean firing, AlertCause cause, String route) {}

    private AlertPayload() {}

    /**
     * The alerts of {@code body}, in the order sent.
     *
     * @throws IllegalArgumentException saying what is wrong and where
     */
    static List<Alert> parse(String body) {
        if (body == null || body.isBlank()) {
            throw new IllegalArgumentException("empty body (expected: Alertmanager's webhook JSON, version 4)");
        }
        JsonObject root;
        try {
            root = new JsonObject(body);
        } catch (DecodeException | ClassCastException e) {
            throw new IllegalArgumentException("not a JSON object (expected: Alertmanager's webhook JSON, version 4): "
                    + firstLine(e.getMessage()));
        }
        Object version = root.getValue("version");
        if (!VERSION.equals(version)) {
            throw new IllegalArgumentException("version: " + (version == null ? "missing" : render(version))
                    + " (expected: \"4\", Alertmanager's webhook payload version)");
        }
        Object alerts = root.getValue("alerts");
        if (!(alerts instanceof JsonArray list)) {
            throw new IllegalArgumentException("alerts: " + (alerts == null ? "missing" : render(alerts))
                    + " (expected: an array of alerts)");
        }
        List<Alert> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            out.add(alert(list.getValue(i), "alerts[" + i + "]"));
        }
        return out;
    }

    private static Alert alert(Object value, String path) {
        if (!(value instanceof JsonObject a)) {
            throw new IllegalArgumentException(path + ": " + render(value) + " (expected: an object)");
        }
        Object status = a.getValue("status");
        boolean firing;
        if ("firing".equals(status)) {
            firing = true;
        } else if ("resolved".equals(status)) {
            firing = false;
        } else {
            throw new IllegalArgumentException(path + ".status: " + (status == null ? "missing" : render(status))
                    + " (expected: \"firing\" or \"resolved\")");
        }
        Map<String, String> labels = strings(a.getValue("labels"), path + ".labels", true);
        String name = labels.get("alertname");
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(path + ".labels.alertname: missing (expected: the alert's name)");
        }
        Map<String, String> annotations = strings(a.getValue("annotations"), path + ".annotations", false);
        String route = labels.get(ROUTE_LABEL);
        return new Alert(firing, new AlertCause(name, labels, annotations), route == null || route.isEmpty() ? null : route);
    }

    private static Map<String, String> strings(Object value, String path, boolean required) {
        Map<String, String> out = new LinkedHashMap<>();
        if (value == null && !required) {
            return out;
        }
        if (!(value instanceof JsonObject o)) {
            throw new IllegalArgumentException(path + ": " + (value == null ? "missing" : render(value))
                    + " (expected: an object of strings)");
        }
        for (String key : o.fieldNames()) {
            Object v = o.getValue(key);
            if (!(v instanceof String s)) {
                throw new IllegalArgumentException(path + "." + key + ": " + render(v) + " (expected: a string)");
            }
            out.put(key, s);
        }
        return out;
    }

    private static String render(Object v) {
        String s = v instanceof String str ? "\"" + str + "\"" : String.valueOf(v);
        return AdminResponses.clip(s);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return AdminResponses.clip(nl < 0 ? s : s.substring(0, nl));
    }
}
