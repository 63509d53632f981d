package dev.ramp.gateway.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * Reads a HOCON (or JSON) file into a validated {@link GatewayConfig}, collecting every problem with its
 * file and line instead of stopping at the first. {@code validate}, start-up and live reload all go
 * through {@link #load(Path)}, so they always agree.
 *
 * <p>Defaults come from {@code reference.conf}; each route's per-route blocks are merged key by key over
 * {@code ramp.route-defaults}. Keys the reference does not know are errors, with a "did you mean" hint.
 */
public final class ConfigLoader {

    static final Pattern ROUTE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** RFC 9110 token: header and cookie names. */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern HOST_PATTERN =
            Pattern.compile("\\*|(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");
    private static final Pattern RATIO_PERCENT = Pattern.compile("\\s*(\\d{1,5})(\\.\\d{1,2})?\\s*%\\s*");
    private static final long MAX_REPLAY_BODY = 16L * 1024 * 1024;
    /** Keys a route has besides the per-route blocks of route-defaults. */
    private static final Set<String> ROUTE_OWN_KEYS = Set.of("name", "stable", "canary", "weight");
    private static final Set<String> UPSTREAM_KEYS = Set.of("url", "version");

    private final Config reference;
    private final Clock clock;

    private ConfigLoader(Config reference, Clock clock) {
        this.reference = reference;
        this.clock = clock;
    }

    /** A loader with the defaults bundled in the jar and the system clock. */
    public static ConfigLoader create() {
        return new ConfigLoader(
                ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), "reference.conf"),
                Clock.systemUTC());
    }

    /** Loads the file with the bundled defaults. */
    public static GatewayConfig load(Path file) throws InvalidConfigException {
        return create().read(file);
    }

    /**
     * Parses, resolves ({@code include}, {@code ${?ENV}}) and validates the file.
     *
     * @throws InvalidConfigException listing every problem found, each with file and line
     */
    public GatewayConfig read(Path file) throws InvalidConfigException {
        String display = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new InvalidConfigException(List.of(new ConfigProblem(display, 0, "",
                    Files.exists(file) ? "not a regular file" : "file not found")));
        }
        Config merged;
        try {
            Config user = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
            merged = user.withFallback(reference).resolve(ConfigResolveOptions.defaults());
            Problems problems = new Problems(display);
            checkUnknownKeys(user, merged, problems);
            GatewayConfig config = build(file, merged, problems);
            if (config != null) {
                config = config.withSources(sources(file, user));
            }
            problems.throwIfAny();
            return config;
        } catch (ConfigException e) {
            throw new InvalidConfigException(List.of(problemOf(e, display)));
        }
    }

    /** The main file and every file an {@code include} brought in, from the values' origins. */
    private static Set<Path> sources(Path file, Config user) {
        Set<Path> files = new LinkedHashSet<>();
        files.add(file.toAbsolutePath().normalize());
        collectSources(user.root(), files);
        return files;
    }

    private static void collectSources(ConfigValue v, Set<Path> files) {
        if (v instanceof ConfigObject o) {
            o.values().forEach(c -> collectSources(c, files));
        } else if (v instanceof ConfigList l) {
            l.forEach(c -> collectSources(c, files));
        } else if (v.origin().filename() != null) {
            // Leaves have one origin; merged objects report a description, not a file name.
            Path p = Path.of(v.origin().filename()).toAbsolutePath().normalize();
            if (Files.isRegularFile(p)) {
                files.add(p);
            }
        }
    }

    private static ConfigProblem problemOf(ConfigException e, String display) {
        ConfigOrigin o = e.origin();
        String msg = e.getMessage();
        // Typesafe prefixes the origin description; keep only the explanation after it.
        if (o != null && msg.startsWith(o.description())) {
            msg = msg.substring(o.description().length()).replaceFirst("^:\\s*", "");
        }
        return new ConfigProblem(o != null && o.filename() != null ? o.filename() : display,
                o != null ? o.lineNumber() : 0, "", msg);
    }

    // ---------------------------------------------------------------- unknown keys

    private void checkUnknownKeys(Config user, Config merged, Problems problems) {
        for (Map.Entry<String, ConfigValue> e : user.root().entrySet()) {
            if (!e.getKey().equals("ramp")) {
                problems.add(e.getValue().origin(), e.getKey(),
                        "unknown key (expected: every setting under ramp { })" + hint(e.getKey(), Set.of("ramp")));
            }
        }
        if (!merged.hasPath("ramp") || merged.getValue("ramp").valueType() != ConfigValueType.OBJECT) {
            return;
        }
        ConfigObject schema = reference.getObject("ramp");
        ConfigObject ramp = merged.getObject("ramp");
        for (Map.Entry<String, ConfigValue> e : ramp.entrySet()) {
            String key = e.getKey();
            String path = "ramp." + ConfigUtil.quoteString(key).replace("\"", "");
            if (key.equals("routes")) {
                checkRoutesKeys(e.getValue(), problems);
            } else if (key.equals("admin")) {
                Set<String> known = new LinkedHashSet<>(schema.toConfig().getObject("admin").keySet());
                known.add("token");
                checkObject(e.getValue(), path, known, null, problems);
            } else if (!schema.containsKey(key)) {
                problems.add(e.getValue().origin(), path, "unknown key" + hint(key, schema.keySet()));
            } else {
                checkAgainst(e.getValue(), schema.get(key), path, problems);
            }
        }
    }

    private void checkRoutesKeys(ConfigValue routes, Problems problems) {
        if (!(routes instanceof ConfigList list)) {
            return; // reported as a type error when reading
        }
        ConfigObject defaults = reference.getObject("ramp.route-defaults");
        Set<String> known = new LinkedHashSet<>(ROUTE_OWN_KEYS);
        known.addAll(defaults.keySet());
        for (int i = 0; i < list.size(); i++) {
            ConfigValue route = list.get(i);
            if (!(route instanceof ConfigObject obj)) {
                continue;
            }
            String base = "ramp.routes[" + i + "]";
            for (Map.Entry<String, ConfigValue> e : obj.entrySet()) {
                String key = e.getKey();
                String path = base + "." + key;
                if (!known.contains(key)) {
                    problems.add(e.getValue().origin(), path, "unknown key" + hint(key, known));
                } else if (key.equals("stable") || key.equals("canary")) {
                    checkObject(e.getValue(), path, UPSTREAM_KEYS, null, problems);
                } else if (defaults.containsKey(key)) {
                    checkAgainst(e.getValue(), defaults.get(key), path, problems);
                }
            }
        }
    }

    private void checkAgainst(ConfigValue value, ConfigValue schema, String path, Problems problems) {
        if (schema instanceof ConfigObject schemaObj) {
            checkObject(value, path, schemaObj.keySet(), schemaObj, problems);
        }
    }

    private void checkObject(ConfigValue value, String path, Set<String> known, ConfigObject schema,
                             Problems problems) {
        if (!(value instanceof ConfigObject obj)) {
            return; // type errors are reported when reading
        }
        for (Map.Entry<String, ConfigValue> e : obj.entrySet()) {
            String key = e.getKey();
            String childPath = path + "." + key;
            if (!known.contains(key)) {
                problems.add(e.getValue().origin(), childPath, "unknown key" + hint(key, known));
            } else if (schema != null) {
                checkAgainst(e.getValue(), schema.get(key), childPath, problems);
            }
        }
    }

    private static String hint(String key, Set<String> known) {
        LevenshteinDistance distance = LevenshteinDistance.getDefaultInstance();
        Optional<String> best = known.stream()
                .min(Comparator.comparingInt((String k) -> distance.apply(key, k)).thenComparing(k -> k));
        if (best.isPresent() && distance.apply(key, best.get()) <= Math.max(2, key.length() / 3)) {
            return " (did you mean \"" + best.get() + "\"?)";
        }
        return " (expected one of: " + String.join(", ", known.stream().sorted().toList()) + ")";
    }

    // ---------------------------------------------------------------- typed read + validation

    private GatewayConfig build(Path file, Config merged, Problems problems) {
        if (!merged.hasPath("ramp")) {
            problems.add(null, "ramp", "missing (expected: ramp { routes = [...] })");
            return null;
        }
        Reader ramp = new Reader(merged.getConfig("ramp"), "ramp", merged.getObject("ramp").origin(), problems);
        Reader listenReader = ramp.object("listen");
        Endpoint listen = endpoint(listenReader);
        Integer eventLoops = null;
        Engine engine = null;
        Transport transport = null;
        Duration clientIdle = null;
        if (listenReader != null) {
            eventLoops = listenReader.integer("event-loops");
            engine = listenReader.choice("engine", Engine.values(), Engine::tag);
            transport = listenReader.choice("transport", Transport.values(), Transport::tag);
            clientIdle = listenReader.positiveDuration("idle-timeout");
            if (eventLoops != null && (eventLoops < 0 || eventLoops > 256)) {
                listenReader.problem("event-loops", eventLoops + " (expected: 0 for one per processor, or 1..256)");
            }
        }
        Reader admin = ramp.object("admin");
        Endpoint adminListen = admin == null ? null : endpoint(admin);
        Optional<String> token = Optional.empty();
        if (admin != null && admin.has("token")) {
            String t = admin.string("token");
            if (t != null && t.isBlank()) {
                admin.problem("token", "is empty (expected: a secret, e.g. token = ${?RAMP_ADMIN_TOKEN})");
            } else {
                token = Optional.ofNullable(t);
            }
        }
        if (listen != null && adminListen != null && listen.port() != 0 && listen.port() == adminListen.port()) {
            ramp.problem("admin.port", "is the traffic port " + listen.port()
                                       + " (expected: the admin API on its own listener)");
        }
        String stateDir = ramp.string("state-dir");
        if (stateDir != null && stateDir.isBlank()) {
            ramp.problem("state-dir", "is empty (expected: a directory for revert latches)");
        }
        List<Cidr> trusted = new ArrayList<>();
        List<String> sources = ramp.stringList("trusted-sources");
        if (sources != null) {
            for (int i = 0; i < sources.size(); i++) {
                try {
                    trusted.add(Cidr.parse(sources.get(i)));
                } catch (IllegalArgumentException e) {
                    ramp.problem("trusted-sources[" + i + "]", e.getMessage());
                }
            }
        }
        Duration grace = ramp.duration("shutdown-grace");
        if (grace != null && grace.isNegative()) {
            ramp.problem("shutdown-grace", grace + " (expected: 0s or more)");
        }

        List<RouteConfig> routes = new ArrayList<>();
        ConfigObject defaults = merged.getObject("ramp.route-defaults");
        List<? extends ConfigObject> routeObjs = ramp.objectList("routes");
        Map<String, ConfigOrigin> seen = new HashMap<>();
        if (routeObjs != null) {
            for (int i = 0; i < routeObjs.size(); i++) {
                ConfigObject obj = routeObjs.get(i);
                String base = "ramp.routes[" + i + "]";
                Config routeCfg = obj.toConfig().withFallback(defaults);
                RouteConfig route = route(new Reader(routeCfg, base, obj.origin(), problems), obj);
                Config own = obj.toConfig();
                if (own.hasPath("name") && own.getValue("name").valueType() == ConfigValueType.STRING) {
                    String name = own.getString("name");
                    ConfigOrigin at = own.getValue("name").origin();
                    ConfigOrigin first = seen.putIfAbsent(name, at);
                    if (first != null) {
                        problems.add(at, base + ".name", "duplicate route name \"" + name + "\" (first defined at "
                                + first.filename() + ":" + first.lineNumber() + "; expected: unique names)");
                        continue;
                    }
                }
                if (route != null) {
                    routes.add(route);
                }
            }
        }
        if (problems.any()) {
            return null;
        }
        return new GatewayConfig(file, clock.instant(), listen, eventLoops, engine, transport, clientIdle,
                new AdminConfig(adminListen, token),
                Path.of(stateDir), trusted, grace, routes, Set.of(file.toAbsolutePath().normalize()));
    }

    private static Endpoint endpoint(Reader r) {
        if (r == null) {
            return null;
        }
        String host = r.string("host");
        Integer port = r.integer("port");
        if (host != null && host.isBlank()) {
            r.problem("host", "is empty (expected: an address to bind, e.g. \"0.0.0.0\")");
            return null;
        }
        if (port != null && (port < 0 || port > 65535)) {
            r.problem("port", port + " (expected: 0..65535)");
            return null;
        }
        return host == null || port == null ? null : new Endpoint(host, port);
    }

    private RouteConfig route(Reader r, ConfigObject raw) {
        int before = r.problems.count();
        String name = r.string("name");
        if (name != null && !ROUTE_NAME.matcher(name).matches()) {
            r.problem("name", "\"" + name + "\" (expected: 1-64 of A-Z a-z 0-9 . _ -; it names metrics, API paths and state files)");
        }
        Match match = null;
        Reader m = r.object("match");
        if (m != null) {
            List<String> hosts = m.stringList("hosts");
            String prefix = m.string("path-prefix");
            if (hosts != null) {
                if (hosts.isEmpty()) {
                    m.problem("hosts", "is empty (expected: at least one host, or [\"*\"] for any)");
                }
                for (int i = 0; i < hosts.size(); i++) {
                    if (!HOST_PATTERN.matcher(hosts.get(i)).matches()) {
                        m.problem("hosts[" + i + "]", "\"" + hosts.get(i)
                                  + "\" (expected: \"*\", \"*.example.com\" or a host name without port)");
                    }
                }
            }
            if (prefix != null && !prefix.startsWith("/")) {
                m.problem("path-prefix", "\"" + prefix + "\" (expected: a path starting with \"/\")");
            }
            if (hosts != null && prefix != null) {
                match = new Match(hosts.stream().map(h -> h.toLowerCase(java.util.Locale.ROOT)).toList(), prefix);
            }
        }
        Upstream stable = upstream(r.object("stable"));
        Upstream canary = upstream(r.object("canary"));
        Percent weight = r.percent("weight");

        Sticky sticky = null;
        Reader s = r.object("sticky");
        if (s != null) {
            String header = s.token("user-header");
            String cookie = s.token("cookie");
            Duration maxAge = s.duration("cookie-max-age");
            if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
                s.problem("cookie-max-age", maxAge + " (expected: a positive duration such as 30d)");
            }
            sticky = new Sticky(header, cookie, maxAge);
        }
        OverrideSettings override = null;
        Reader o = r.object("override");
        if (o != null) {
            String header = o.token("header");
            List<String> canaryUsers = o.stringList("canary-users");
            List<String> stableUsers = o.stringList("stable-users");
            if (canaryUsers != null && stableUsers != null) {
                Set<String> both = new LinkedHashSet<>(canaryUsers);
                both.retainAll(stableUsers);
                if (!both.isEmpty()) {
                    o.problem("canary-users", "users " + both + " are also in stable-users (expected: each user in one ring)");
                }
                override = new OverrideSettings(header, new LinkedHashSet<>(canaryUsers), new LinkedHashSet<>(stableUsers));
            }
        }
        Boolean expose = r.bool("expose-version-header");

        Timeouts timeouts = null;
        Reader t = r.object("timeouts");
        if (t != null) {
            timeouts = new Timeouts(t.positiveDuration("connect"), t.positiveDuration("response"),
                    t.positiveDuration("idle"));
        }
        Fallback fallback = null;
        Reader f = r.object("fallback");
        if (f != null) {
            Boolean enabled = f.bool("enabled");
            List<Integer> statuses = f.intList("on-status");
            Long replay = f.bytes("max-replay-body");
            if (statuses != null) {
                for (int i = 0; i < statuses.size(); i++) {
                    if (statuses.get(i) < 400 || statuses.get(i) > 599) {
                        f.problem("on-status[" + i + "]", statuses.get(i) + " (expected: an HTTP status 400..599)");
                    }
                }
            }
            if (replay != null && (replay < 0 || replay > MAX_REPLAY_BODY)) {
                f.problem("max-replay-body", replay + " bytes (expected: 0 to 16MiB)");
            }
            if (enabled != null && statuses != null && replay != null) {
                fallback = new Fallback(enabled, new LinkedHashSet<>(statuses), replay);
            }
        }
        CircuitBreakerSettings breaker = circuitBreaker(r.object("circuit-breaker"));
        GuardSettings guard = guard(r.object("guard"));
        if (r.problems.count() > before) {
            return null;
        }
        return new RouteConfig(name, match, stable, canary, weight, sticky, override, expose, timeouts, fallback,
                breaker, guard);
    }

    private static CircuitBreakerSettings circuitBreaker(Reader b) {
        if (b == null) {
            return null;
        }
        Boolean enabled = b.bool("enabled");
        Percent rate = b.percent("failure-rate");
        Integer minimumCalls = b.integer("minimum-calls");
        Duration window = b.positiveDuration("window");
        Duration openFor = b.positiveDuration("open-for");
        Integer halfOpen = b.integer("half-open-calls");
        if (rate != null && rate.basisPoints() == 0) {
            b.problem("failure-rate", "0% (expected: above 0%, e.g. \"50%\")");
        }
        if (minimumCalls != null && minimumCalls < 1) {
            b.problem("minimum-calls", minimumCalls + " (expected: 1 or more)");
        }
        if (window != null && (window.toSeconds() < 1 || window.toMinutes() > 10)) {
            b.problem("window", window + " (expected: 1s to 10m, whole seconds)");
        }
        if (halfOpen != null && (halfOpen < 1 || halfOpen > 1000)) {
            b.problem("half-open-calls", halfOpen + " (expected: 1..1000)");
        }
        if (enabled == null || rate == null || minimumCalls == null || window == null || openFor == null
            || halfOpen == null) {
            return null;
        }
        return new CircuitBreakerSettings(enabled, rate, minimumCalls, window, openFor, halfOpen);
    }

    private static GuardSettings guard(Reader g) {
        if (g == null) {
            return null;
        }
        Boolean enabled = g.bool("enabled");
        Duration every = g.positiveDuration("evaluate-every");
        Duration window = g.positiveDuration("window");
        Integer minRequests = g.integer("min-requests");
        Percent maxErrorRate = g.percent("max-error-rate");
        Percent maxIncrease = g.percent("max-error-rate-increase");
        Duration maxP99 = g.positiveDuration("max-p99");
        Double latencyIncrease = g.ratioPercent("max-latency-increase");
        Integer breaches = g.integer("breaches-to-revert");
        Integer failures = g.integer("consecutive-failures-to-revert");
        if (every != null && every.toMillis() < 100) {
            g.problem("evaluate-every", every + " (expected: 100ms or more)");
        }
        if (window != null && (window.toSeconds() < 1 || window.toMinutes() > 10)) {
            g.problem("window", window + " (expected: 1s to 10m)");
        }
        if (every != null && window != null && every.compareTo(window) > 0) {
            g.problem("evaluate-every", every + " is longer than window " + window + " (expected: evaluate-every <= window)");
        }
        if (minRequests != null && minRequests < 1) {
            g.problem("min-requests", minRequests + " (expected: 1 or more)");
        }
        if (latencyIncrease != null && latencyIncrease <= 0) {
            g.problem("max-latency-increase", "must be above 0% (expected: e.g. \"50%\")");
        }
        if (breaches != null && (breaches < 1 || breaches > 1000)) {
            g.problem("breaches-to-revert", breaches + " (expected: 1..1000)");
        }
        if (failures != null && (failures < 1 || failures > 100_000)) {
            g.problem("consecutive-failures-to-revert", failures + " (expected: 1..100000)");
        }
        if (enabled == null || every == null || window == null || minRequests == null || maxErrorRate == null
            || maxIncrease == null || maxP99 == null || latencyIncrease == null || breaches == null || failures == null) {
            return null;
        }
        return new GuardSettings(enabled, every, window, minRequests, maxErrorRate, maxIncrease, maxP99,
                latencyIncrease, breaches, failures);
    }

    private static Upstream upstream(Reader u) {
        if (u == null) {
            return null;
        }
        String url = u.string("url");
        String version = u.string("version");
        if (version != null && version.isBlank()) {
            u.problem("version", "is empty (expected: the version this upstream runs, e.g. \"v1.4.2\")");
            return null;
        }
        if (url == null || version == null) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            u.problem("url", "\"" + url + "\" is not a URL: " + e.getReason() + " (expected: e.g. \"http://127.0.0.1:9001\")");
            return null;
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
            u.problem("url", "\"" + url + "\" (expected: an http:// or https:// URL such as \"http://127.0.0.1:9001\")");
            return null;
        }
        if (uri.getHost() == null) {
            u.problem("url", "\"" + url + "\" has no host (expected: e.g. \"http://127.0.0.1:9001\")");
            return null;
        }
        boolean pathless = uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/");
        if (!pathless || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            u.problem("url", "\"" + url + "\" (expected: scheme, host and port only; the client's path is forwarded as is)");
            return null;
        }
        try {
            return new Upstream(new URI(scheme, null, uri.getHost(), uri.getPort(), null, null, null), version);
        } catch (URISyntaxException e) {
            u.problem("url", "\"" + url + "\": " + e.getReason());
            return null;
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Collects problems; each problem's file and line come from the value's origin. */
    static final class Problems {
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

    /** Typed access to one object of the config that records a problem (and returns null) on bad values. */
    static final class Reader {
        final Config config;
        final String base;
        final ConfigOrigin origin;
        final Problems problems;

        Reader(Config config, String base, ConfigOrigin origin, Problems problems) {
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

        Reader object(String key) {
            ConfigObject obj = read(key, "an object { ... }", config::getObject);
            return obj == null ? null : new Reader(obj.toConfig(), base + "." + key, obj.origin(), problems);
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
}
