package dev.ramp.gateway.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a HOCON (or JSON) file into a validated {@link GatewayConfig}, collecting every problem with its
 * file and line instead of stopping at the first. {@code validate}, start-up and live reload all go
 * through {@link #load(Path)}, so they always agree.
 *
 * <p>Defaults come from {@code reference.conf}; each route's per-route blocks are merged key by key over
 * {@code ramp.route-defaults}. Keys the reference does not know are errors, with a "did you mean" hint.
 */
public final class ConfigLoader {

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
            Config user = FileParse.parse(file);
            merged = user.withFallback(reference).resolve(ConfigResolveOptions.defaults());
            Problems problems = new Problems(display);
            new KeyChecker(reference).check(user, merged, problems);
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
        Set<String> names = new LinkedHashSet<>();
        collectSources(user.root(), names);
        Set<Path> files = new LinkedHashSet<>();
        files.add(file.toAbsolutePath().normalize());
        // One look at the disk per distinct file, not per value: 10 000 routes are ~100 000 values.
        for (String name : names) {
            Path p = Path.of(name).toAbsolutePath().normalize();
            if (Files.isRegularFile(p)) {
                files.add(p);
            }
        }
        return files;
    }

    private static void collectSources(ConfigValue v, Set<String> names) {
        if (v instanceof ConfigObject o) {
            for (String key : o.keySet()) {
                collectSources(o.get(key), names); // not values(): it hashes every value deeply (ConfigObjects)
            }
        } else if (v instanceof ConfigList l) {
            for (ConfigValue c : l) {
                collectSources(c, names);
            }
        } else if (v.origin().filename() != null) {
            names.add(v.origin().filename()); // leaves have one origin; merged objects a description, not a file
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

    // ---------------------------------------------------------------- typed read + validation

    private GatewayConfig build(Path file, Config merged, Problems problems) {
        if (!merged.hasPath("ramp")) {
            problems.add(null, "ramp", "missing (expected: ramp { routes = [...] })");
            return null;
        }
        ConfigReader ramp = new ConfigReader(merged.getConfig("ramp"), "ramp", merged.getObject("ramp").origin(), problems);
        ConfigReader listenReader = ramp.object("listen");
        Endpoint listen = endpoint(listenReader);
        Integer eventLoops = null;
        Transport transport = null;
        Duration clientIdle = null;
        Limits limits = null;
        Http2Options http2 = null;
        TlsSettings tls = null;
        if (listenReader != null) {
            tls = TlsReader.read(listenReader, file.toAbsolutePath().getParent());
            limits = limits(listenReader.object("limits"));
            http2 = http2(listenReader, listenReader.has("tls"));
            eventLoops = listenReader.integer("event-loops");
            transport = listenReader.choice("transport", Transport.values(), Transport::tag);
            clientIdle = listenReader.positiveDuration("idle-timeout");
            if (eventLoops != null && (eventLoops < 0 || eventLoops > 256)) {
                listenReader.problem("event-loops", eventLoops + " (expected: 0 for one per processor, or 1..256)");
            }
        }
        ConfigReader admin = ramp.object("admin");
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
        ClusterSettings cluster = ClusterReader.read(ramp.object("cluster"));

        AccessLogSettings accessLog = accessLog(ramp.object("access-log"), file.toAbsolutePath().getParent());

        List<RouteConfig> routes = new ArrayList<>();
        ConfigObject defaults = merged.getObject("ramp.route-defaults");
        List<? extends ConfigObject> routeObjs = ramp.objectList("routes");
        Map<String, ConfigOrigin> seen = new HashMap<>();
        InheritedBlocks inherited = new InheritedBlocks();
        if (routeObjs != null) {
            for (int i = 0; i < routeObjs.size(); i++) {
                ConfigObject obj = routeObjs.get(i);
                String base = "ramp.routes[" + i + "]";
                Config routeCfg = obj.toConfig().withFallback(defaults);
                RouteConfig route = RouteReader.route(new ConfigReader(routeCfg, base, obj.origin(), problems), obj,
                        file.toAbsolutePath().getParent(), inherited);
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
        List<NotifyTarget> notify = NotifyReader.read(merged, ramp, problems);
        if (problems.any()) {
            return null;
        }
        return new GatewayConfig(file, clock.instant(), listen, eventLoops, transport, clientIdle, limits, http2,
                Optional.ofNullable(tls), new AdminConfig(adminListen, token),
                Path.of(stateDir), trusted, grace, cluster, routes, Set.of(file.toAbsolutePath().normalize()), notify,
                accessLog);
    }

    /** {@code ramp.access-log { enabled, path }}: a path is {@code stdout} or a file, relative to the config's directory. */
    private static AccessLogSettings accessLog(ConfigReader r, Path base) {
        if (r == null) {
            return AccessLogSettings.OFF;
        }
        Boolean enabled = r.bool("enabled");
        String path = r.string("path");
        if (path != null && path.isBlank()) {
            r.problem("path", "is empty (expected: \"stdout\" or a file path)");
            return AccessLogSettings.OFF;
        }
        return enabled == null || path == null ? AccessLogSettings.OFF : AccessLogSettings.of(enabled, path, base);
    }

    private static Limits limits(ConfigReader r) {
        if (r == null) {
            return null;
        }
        Duration header = r.positiveDuration("header-timeout");
        Duration body = r.positiveDuration("body-timeout");
        Integer headers = r.integer("max-header-count");
        Integer max = r.integer("max-connections");
        Integer perIp = r.integer("max-connections-per-ip");
        Integer upstream = r.integer("max-upstream-connections");
        Duration wait = r.positiveDuration("upstream-wait");
        // Every problem is reported, not only the first.
        boolean ok = true;
        if (headers != null && (headers < 1 || headers > 10_000)) {
            r.problem("max-header-count", headers + " (expected: 1..10000)");
            ok = false;
        }
        if (max != null && max < 1) {
            r.problem("max-connections", max + " (expected: 1 or more)");
            ok = false;
        }
        if (perIp != null && (perIp < 1 || max != null && perIp > max)) {
            r.problem("max-connections-per-ip", perIp + " (expected: 1.." + (max == null ? "" : max)
                                                 + ", at most max-connections)");
            ok = false;
        }
        if (upstream != null && upstream < 1) {
            r.problem("max-upstream-connections", upstream + " (expected: 1 or more)");
            ok = false;
        }
        return !ok || header == null || body == null || headers == null || max == null || perIp == null
               || upstream == null || wait == null ? null
                : new Limits(header, body, headers, max, perIp, upstream, wait);
    }

    private static Http2Options http2(ConfigReader listen, boolean tls) {
        Boolean alpn = listen.bool("http2");
        Boolean h2c = listen.bool("h2c");
        ConfigReader r = listen.object("limits");
        Integer streams = r == null ? null : r.integer("max-concurrent-streams");
        Long window = r == null ? null : r.bytes("http2-stream-window");
        boolean ok = true;
        if (h2c != null && h2c && tls) {
            listen.problem("h2c", "true with tls set (expected: h2c only on a plain listener; over TLS, HTTP/2 is "
                                  + "offered by ALPN: http2 = true)");
            ok = false;
        }
        if (streams != null && (streams < 1 || streams > 10_000)) {
            r.problem("max-concurrent-streams", streams + " (expected: 1..10000)");
            ok = false;
        }
        if (window != null && (window < Http2Options.MIN_WINDOW || window > 16L * 1024 * 1024)) {
            r.problem("http2-stream-window", window + " bytes (expected: 65535 bytes to 16MiB)");
            ok = false;
        }
        return !ok || alpn == null || h2c == null || streams == null || window == null ? null
                : new Http2Options(alpn, h2c, streams, (int) (long) window);
    }

    private static Endpoint endpoint(ConfigReader r) {
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

}
