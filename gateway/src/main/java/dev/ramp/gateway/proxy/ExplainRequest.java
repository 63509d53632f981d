package dev.ramp.gateway.proxy;

import dev.ramp.gateway.routing.RequestFacts;
import io.netty.util.NetUtil;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The request an explain question describes (docs/targeting.md): a user id, headers, cookies, query parameters,
 * the client's source address and a path, as the admin API's query parameters ({@code user}, {@code header.NAME},
 * {@code cookie.NAME}, {@code query.NAME}, {@code source}, {@code path}) or the {@code explain} command's options
 * give them. It is the {@link RequestFacts} explain decides on. Immutable.
 */
public final class ExplainRequest implements RequestFacts {
    private final String user;
    private final Map<String, String> headers;
    private final Map<String, String> cookies;
    private final Map<String, String> query;
    private final String source;
    private final String path;

    /**
     * @param user    the identity, or null to take it from the user header or identity cookie given
     * @param headers header values by name (names compared case-insensitively)
     * @param source  the client's address, an IP literal, or null
     * @param path    the request's path, or null for the route's path prefix
     * @throws IllegalArgumentException when {@code source} is not an IP literal or {@code path} not a path
     */
    public ExplainRequest(String user, Map<String, String> headers, Map<String, String> cookies,
                          Map<String, String> query, String source, String path) {
        if (source != null && !NetUtil.isValidIpV4Address(source) && !NetUtil.isValidIpV6Address(source)) {
            throw new IllegalArgumentException("source: \"" + source + "\" (expected: an IP address such as 10.1.2.3)");
        }
        if (path != null && !path.startsWith("/")) {
            throw new IllegalArgumentException("path: \"" + path + "\" (expected: a path starting with \"/\")");
        }
        this.user = user;
        TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        this.headers = h;
        this.cookies = Map.copyOf(cookies);
        this.query = Map.copyOf(query);
        this.source = source;
        this.path = path;
    }

    /**
     * Reads the admin API's parameters: {@code user}, {@code source}, {@code path} and {@code header.NAME},
     * {@code cookie.NAME}, {@code query.NAME}; the first value of a repeated one counts.
     *
     * @throws IllegalArgumentException naming a parameter explain does not know, or a bad value
     */
    public static ExplainRequest fromParameters(List<Map.Entry<String, String>> parameters) {
        String user = null;
        String source = null;
        String path = null;
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, String> cookies = new LinkedHashMap<>();
        Map<String, String> query = new LinkedHashMap<>();
        for (Map.Entry<String, String> p : parameters) {
            String name = p.getKey();
            String value = p.getValue();
            switch (name) {
                case "user" -> user = user == null ? value : user;
                case "source" -> source = source == null ? value : source;
                case "path" -> path = path == null ? value : path;
                default -> {
                    Map<String, String> into = name.startsWith("header.") ? headers
                            : name.startsWith("cookie.") ? cookies : name.startsWith("query.") ? query : null;
                    String key = into == null ? "" : name.substring(name.indexOf('.') + 1);
                    if (key.isEmpty()) {
                        throw new IllegalArgumentException("unknown parameter \"" + name + "\" (expected: user,"
                                + " source, path, header.NAME, cookie.NAME or query.NAME)");
                    }
                    into.putIfAbsent(key, value);
                }
            }
        }
        return new ExplainRequest(user, headers, cookies, query, source, path);
    }

    /** This request with {@code path} when it names none. */
    ExplainRequest withDefaultPath(String defaultPath) {
        return path != null ? this : new ExplainRequest(user, headers, cookies, query, source, defaultPath);
    }

    /** The user id asked about, or null. */
    public String user() {
        return user;
    }

    String headerValue(String name) {
        return headers.get(name);
    }

    String cookieValue(String name) {
        return cookies.get(name);
    }

    @Override
    public CharSequence header(String name) {
        return headers.get(name);
    }

    @Override
    public CharSequence cookie(String name) {
        return cookies.get(name);
    }

    @Override
    public CharSequence query(String name) {
        return query.get(name);
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public CharSequence path() {
        return path;
    }
}
