package dev.ramp.loadtests;

import static io.gatling.javaapi.http.HttpDsl.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the simulations share: where the gateway and its demo upstreams are (system properties, with
 * defaults matching {@code loadtests/ramp-loadtest.conf}) and the few control-plane calls that {@code
 * before()} and {@code after()} make outside Gatling's engine (the fault switch, the admin API).
 *
 * <p>Every setting is a system property, so the same class serves a short smoke and a long run:
 * {@code mvn -pl loadtests gatling:test -Dgatling.simulationClass=... -Dramp.split.users=50000}.
 */
final class Ramp {
    /** Set by the gateway when the route has {@code expose-version-header = true}: stable or canary. */
    static final String VERSION_HEADER = "X-Ramp-Version";
    static final String USER_HEADER = "X-User-Id";
    static final String COOKIE = "ramp_uid";

    // first: the duration settings below parse with it
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m)?");

    /** The gateway's traffic listener. */
    static final String GATEWAY_URL = string("ramp.gatewayUrl", "http://127.0.0.1:18080");
    /** Speak HTTP/2 to the gateway (ALPN; needs an https:// gatewayUrl). */
    static final boolean HTTP2 = Boolean.parseBoolean(string("ramp.http2", "false"));
    /** The admin API (GET /api/status, POST /api/routes/{name}/resume|revert). */
    static final String ADMIN_URL = string("ramp.adminUrl", "http://127.0.0.1:19901");
    /** The canary demo upstream's control port; the switch itself is {@code /_demo/fault} on it. */
    static final String CANARY_FAULT_URL = string("ramp.canaryFaultUrl", "http://127.0.0.1:19102") + "/_demo/fault";
    /** The stable demo upstream, without the gateway in front (throughput baseline, verdict requests). */
    static final String STABLE_URL = string("ramp.stableUrl", "http://127.0.0.1:19001");
    /** The route split, stickiness, revert and throughput run against. */
    static final String ROUTE = string("ramp.route", "loadtest");
    /** The route's configured canary weight in percent (must match the config the gateway runs). */
    static final double WEIGHT_PERCENT = decimal("ramp.weight", 20.0);

    /**
     * Connections per host the load generator keeps (one keep-alive pool shared by all virtual users).
     * Bounding them keeps an open-model injection from piling thousands of sockets on a gateway that is
     * still warming up on 2 shared cores: users that find no free connection wait in Gatling (their wait
     * counts in the response time), the gateway sees at most this many requests at once.
     */
    static final int CONNECTIONS = integer("ramp.connections", 32);
    /** Slack allowed beyond a simulation's planned duration before Gatling stops it (maxDuration). */
    static final Duration SLACK = duration("ramp.slack", "60s");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Ramp() {
    }

    /** The HTTP protocol every simulation uses: shared keep-alive pool, bounded per host. */
    /** An endless feeder of distinct user ids {@code prefix0, prefix1, ...} under the key {@code uid}. */
    static Iterator<Map<String, Object>> uniqueIds(String prefix) {
        AtomicLong next = new AtomicLong();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Map<String, Object> next() {
                return Map.of("uid", prefix + next.getAndIncrement());
            }
        };
    }

    /** A prefix unique to this run, so ids (and their buckets) differ between runs: {@code name-<random>-}. */
    static String runPrefix(String name) {
        return name + "-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36) + "-";
    }

    static HttpProtocolBuilder protocol(String simulation, int connectionsPerHost) {
        HttpProtocolBuilder p = http.shareConnections()
                .maxConnectionsPerHost(connectionsPerHost)
                .acceptHeader("application/json")
                .userAgentHeader("ramp-loadtests/" + simulation);
        // HTTP/2 by ALPN against an https:// gateway (demo --tls; Gatling trusts its self-signed certificate).
        return HTTP2 ? p.enableHttp2() : p;
    }

    static String string(String key, String defaultValue) {
        String v = System.getProperty(key);
        return v == null || v.isBlank() ? defaultValue : v.trim();
    }

    static int integer(String key, int defaultValue) {
        String v = string(key, null);
        try {
            return v == null ? defaultValue : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": " + v + " (expected: an integer)");
        }
    }

    static double decimal(String key, double defaultValue) {
        String v = string(key, null);
        try {
            return v == null ? defaultValue : Double.parseDouble(v.replace("%", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": " + v + " (expected: a number)");
        }
    }

    /** "15s", "500ms", "2m" or a bare number of seconds. */
    static Duration duration(String key, String defaultValue) {
        String v = string(key, defaultValue);
        Matcher m = DURATION.matcher(v.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(key + ": " + v + " (expected: a duration like 15s, 500ms or 2m)");
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        long millis = (long) (n * switch (unit) {
            case "ms" -> 1;
            case "m" -> 60_000;
            default -> 1_000;
        });
        return Duration.ofMillis(millis);
    }

    /** The admin token: the RAMP_ADMIN_TOKEN environment variable (run.sh sets it), else -Dramp.adminToken. */
    static Optional<String> adminToken() {
        String env = System.getenv("RAMP_ADMIN_TOKEN");
        return Optional.ofNullable(env != null && !env.isBlank() ? env : string("ramp.adminToken", null));
    }

    /** The JSON body of the fault switch for a mode, e.g. {@code fault("status", 503)}. */
    static String fault(String mode, int status) {
        return "{\"mode\":\"" + mode + "\",\"status\":" + status + ",\"rate\":1.0,\"delayMs\":0}";
    }

    static final String FAULT_OK = fault("ok", 200);

    /** Sets the canary's fault switch; throws when the switch does not answer 200. */
    static void setCanaryFault(String json) throws IOException, InterruptedException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(CANARY_FAULT_URL))
                .POST(HttpRequest.BodyPublishers.ofString(json)).header("content-type", "application/json"));
        if (r.statusCode() != 200) {
            throw new IllegalStateException("fault switch " + CANARY_FAULT_URL + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** POST /api/routes/{route}/{action} with the bearer token; returns the response. */
    static HttpResponse<String> adminPost(String route, String action) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(ADMIN_URL + "/api/routes/" + route + "/" + action))
                .POST(HttpRequest.BodyPublishers.noBody());
        adminToken().ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return send(b);
    }

    /** The route's entry in GET /api/status, or empty if the route is not listed. */
    static Optional<JsonNode> routeStatus(String route) throws IOException, InterruptedException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(ADMIN_URL + "/api/status")).GET());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + ADMIN_URL + "/api/status answered " + r.statusCode() + ": " + r.body());
        }
        return routeIn(r.body(), route);
    }

    /** The route's entry in an /api/status body. */
    static Optional<JsonNode> routeIn(String statusBody, String route) {
        try {
            for (JsonNode r : JSON.readTree(statusBody).path("routes")) {
                if (route.equals(r.path("name").asText())) {
                    return Optional.of(r);
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("/api/status is not JSON: " + e.getMessage(), e);
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return CLIENT.send(b.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String percent(double v) {
        return String.format(Locale.ROOT, "%.2f%%", v);
    }
}
