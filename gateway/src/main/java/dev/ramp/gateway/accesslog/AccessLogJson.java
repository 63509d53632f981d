package dev.ramp.gateway.accesslog;

import dev.ramp.gateway.proxy.AccessLog;
import dev.ramp.gateway.proxy.TraceParent;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One access-log line as JSON, fields in the order of docs/operations.md: {@code time, client, method, path,
 * status, route, role, version, durationMs, upstreamMs, fallback, traceId, bytesOut}. Every string is escaped
 * (a request path is whatever the client sent: quotes, backslashes, control characters), so each line is one
 * valid JSON object. Runs on the writer thread, never an event loop.
 */
final class AccessLogJson {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private AccessLogJson() {}

    /** Appends {@code e} as one line, newline included. */
    static void append(StringBuilder b, AccessLog.Entry e) {
        b.append("{\"time\":\"");
        TIME.formatTo(Instant.ofEpochMilli(e.epochMillis()), b);
        b.append("\",\"client\":");
        string(b, e.client());
        b.append(",\"method\":");
        string(b, e.method());
        b.append(",\"path\":");
        string(b, e.path());
        b.append(",\"status\":").append(e.status());
        b.append(",\"route\":");
        string(b, e.route());
        b.append(",\"role\":");
        string(b, e.role() == null ? null : e.role().tag());
        b.append(",\"version\":");
        string(b, e.version());
        b.append(",\"durationMs\":");
        millis(b, e.durationNanos());
        b.append(",\"upstreamMs\":");
        if (e.upstreamNanos() < 0) {
            b.append("null");
        } else {
            millis(b, e.upstreamNanos());
        }
        b.append(",\"fallback\":").append(e.fallback());
        b.append(",\"traceId\":");
        string(b, TraceParent.traceId(e.traceparent()));
        b.append(",\"bytesOut\":").append(e.bytesOut());
        b.append("}\n");
    }

    /** Milliseconds with three decimals (microseconds). */
    private static void millis(StringBuilder b, long nanos) {
        long micros = nanos / 1000;
        b.append(micros / 1000).append('.');
        long frac = micros % 1000;
        if (frac < 100) {
            b.append('0');
        }
        if (frac < 10) {
            b.append('0');
        }
        b.append(frac);
    }

    /** A JSON string (RFC 8259): quote, backslash and control characters escaped; null as {@code null}. */
    static void string(StringBuilder b, String s) {
        if (s == null) {
            b.append("null");
            return;
        }
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    // Control characters, DEL, and the line separators some log shippers split on.
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || Character.isSurrogate(c)
                            && !validSurrogate(s, i)) {
                        b.append("\\u").append(HEX[c >> 12 & 15]).append(HEX[c >> 8 & 15]).append(HEX[c >> 4 & 15])
                                .append(HEX[c & 15]);
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    /** Whether the surrogate at {@code i} is half of a valid pair (a lone one would not encode as UTF-8). */
    private static boolean validSurrogate(String s, int i) {
        char c = s.charAt(i);
        return Character.isHighSurrogate(c) ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
