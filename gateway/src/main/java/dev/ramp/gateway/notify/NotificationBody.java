package dev.ramp.gateway.notify;

import dev.ramp.gateway.admin.EventJson;
import dev.ramp.gateway.config.NotifyFormat;
import dev.ramp.gateway.events.EventLog;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The body a webhook receives for one event (docs/operations.md, "Notifications").
 *
 * <p>{@code json}: the event exactly as {@code GET /api/events} shows it ({@code at}, {@code type},
 * {@code route}, {@code message}, {@code details}) plus {@code "version": 1} and {@code "source": "ramp"};
 * fields may be added within a version, never removed or changed.
 *
 * <p>{@code slack}: an incoming-webhook message, {@code text} (the fallback a notification shows) and
 * {@code blocks}: a section with the event type, route and message, and a context line with the time and,
 * for a revert, its reason and the alert's summary when an alert caused it.
 */
final class NotificationBody {
    static final int VERSION = 1;

    private NotificationBody() {}

    static Buffer of(NotifyFormat format, EventLog.Entry entry) {
        return (format == NotifyFormat.SLACK ? slack(entry) : json(entry)).toBuffer();
    }

    static JsonObject json(EventLog.Entry entry) {
        JsonObject event = EventJson.entry(entry);
        JsonObject out = new JsonObject().put("version", VERSION).put("source", "ramp");
        event.forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    static JsonObject slack(EventLog.Entry entry) {
        JsonObject event = EventJson.entry(entry);
        String type = event.getString("type");
        String route = event.getString("route");
        String head = "Ramp " + type + (route == null ? "" : " on route " + route);
        String text = head + ": " + event.getString("message");
        StringBuilder context = new StringBuilder(entry.at().toString());
        JsonObject details = event.getJsonObject("details");
        if (details != null && details.getValue("reason") instanceof String reason) {
            context.append(" · reason ").append(reason);
        }
        if (details != null && details.getValue("alert") instanceof JsonObject alert
            && alert.getValue("annotations") instanceof JsonObject annotations
            && annotations.getValue("summary") instanceof String summary) {
            context.append(" · ").append(summary);
        }
        JsonArray blocks = new JsonArray()
                .add(new JsonObject().put("type", "section").put("text", mrkdwn("*" + escape(type) + "*"
                        + (route == null ? "" : " · route `" + escape(route) + "`") + "\n"
                        + escape(event.getString("message")))))
                .add(new JsonObject().put("type", "context")
                        .put("elements", new JsonArray().add(mrkdwn(escape(context.toString())))));
        return new JsonObject().put("text", escape(text)).put("blocks", blocks);
    }

    private static JsonObject mrkdwn(String text) {
        return new JsonObject().put("type", "mrkdwn").put("text", text);
    }

    /** Slack's three control characters; everything else is shown as written. */
    static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
