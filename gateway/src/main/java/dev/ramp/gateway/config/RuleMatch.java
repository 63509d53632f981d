package dev.ramp.gateway.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The conditions of one targeting rule, all of which a request must meet: header values (names compared
 * case-insensitively), cookie values and query parameters (names exact), the client's source address in one
 * of some networks, and a raw path prefix. Absent parts impose nothing; at least one part is present.
 *
 * @param headers    header name to what its first value must be, in config order
 * @param cookies    cookie name to what its value must be
 * @param query      query parameter name to what its first value must be
 * @param sources    networks one of which holds the client's address; empty for any
 * @param pathPrefix a raw path prefix the request's path must start with, or null for any
 */
public record RuleMatch(Map<String, ValueMatch> headers, Map<String, ValueMatch> cookies,
                        Map<String, ValueMatch> query, List<Cidr> sources, String pathPrefix) {
    public RuleMatch {
        headers = copy(headers);
        cookies = copy(cookies);
        query = copy(query);
        sources = List.copyOf(sources);
    }

    private static Map<String, ValueMatch> copy(Map<String, ValueMatch> m) {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /** Whether no part is set (such a match is refused at load: it would take every request). */
    public boolean isEmpty() {
        return headers.isEmpty() && cookies.isEmpty() && query.isEmpty() && sources.isEmpty() && pathPrefix == null;
    }

    /** The match as HOCON, e.g. {@code header { "X-Plan" = "beta" }, source = ["10.0.0.0/8"]}: for explain and logs. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        part(parts, "header", headers);
        part(parts, "cookie", cookies);
        part(parts, "query", query);
        if (!sources.isEmpty()) {
            parts.add("source = " + sources.stream().map(c -> ValueMatch.quote(c.toString())).toList());
        }
        if (pathPrefix != null) {
            parts.add("path-prefix = " + ValueMatch.quote(pathPrefix));
        }
        return String.join(", ", parts);
    }

    private static void part(List<String> parts, String key, Map<String, ValueMatch> m) {
        if (m.isEmpty()) {
            return;
        }
        List<String> each = new ArrayList<>();
        m.forEach((name, v) -> each.add(ValueMatch.quote(name) + " = " + v));
        parts.add(key + " { " + String.join(", ", each) + " }");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RuleMatch m && toString().equals(m.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
