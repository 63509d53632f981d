package dev.ramp.gateway;

import dev.ramp.gateway.config.ConfigLoader;
import dev.ramp.gateway.config.ConfigProblem;
import dev.ramp.gateway.config.GatewayConfig;
import dev.ramp.gateway.config.InvalidConfigException;
import dev.ramp.gateway.demo.DemoToken;
import dev.ramp.gateway.demo.DemoUpstream;
import dev.ramp.gateway.demo.SelfSignedCertificate;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line (README.md, docs/operations.md): {@code run}, {@code validate}, {@code demo} and
 * {@code explain} ({@link ExplainCommand}). Exit codes: 0 success,
 * 2 bad usage or invalid config, 1 anything else.
 */
@Command(name = "ramp-gateway", mixinStandardHelpOptions = true, version = "ramp-gateway 0.1.0",
        description = "Ramp: a canary gateway that splits traffic between a stable and a canary upstream.",
        subcommands = {Main.Run.class, Main.Validate.class, Main.Demo.class, ExplainCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILURE = 1;
    static final int EXIT_INVALID = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        String levelProblem = LogSetup.levelProblem(System.getenv(LogSetup.LEVEL_VARIABLE));
        if (levelProblem != null) {
            System.err.println("error: " + levelProblem);
            System.exit(EXIT_INVALID);
        }
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            // Netty's JFR allocation events: registering them initialises JDK Flight Recorder's metadata on the
            // first buffer chunk, ~0.3 s of one core on the first request. -Dio.netty.jfr.enabled=true restores them.
            System.setProperty("io.netty.jfr.enabled", "false");
        }
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            // Sampling allocated buffers for leaks costs the proxy CPU on every request; the test suite keeps it
            // on (it never goes through main), and -Dio.netty.leakDetection.level=simple turns it back on here.
            io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
        }
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (tests call this). */
    public static int execute(String... args) {
        return new CommandLine(new Main())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("error: " + e.getMessage());
                    LoggerFactory.getLogger(Main.class).debug("command failed", e);
                    return EXIT_FAILURE;
                })
                .execute(args);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return EXIT_INVALID;
    }

    /** Loads a config or prints every problem, one per line with file:line, and returns null. */
    static GatewayConfig loadOrReport(Path file, PrintWriter err) {
        try {
            return ConfigLoader.load(file);
        } catch (InvalidConfigException e) {
            err.println("invalid config " + file + ": " + e.problems().size() + " problem"
                        + (e.problems().size() == 1 ? "" : "s"));
            for (ConfigProblem p : e.problems()) {
                err.println("  " + p);
            }
            err.flush();
            return null;
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check a config file exactly as a reload would; exit 0 if valid, 2 listing every problem.")
    static final class Validate implements Callable<Integer> {
        @Option(names = "--config", required = true, paramLabel = "FILE", description = "HOCON or JSON config file")
        Path config;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            GatewayConfig c = loadOrReport(config, spec.commandLine().getErr());
            if (c == null) {
                return EXIT_INVALID;
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("config " + config + " is valid: " + c.routes().size() + " route(s)");
            c.routes().forEach(r -> out.println("  " + r.name() + ": canary " + r.weight() + " -> "
                                                + r.canary().url() + " (" + r.canary().version() + "), stable "
                                                + r.stable().url() + " (" + r.stable().version() + ")"));
            out.flush();
            return EXIT_OK;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Serve traffic with the given config. SIGHUP reloads it; SIGTERM drains and exits 0.")
    static final class Run implements Callable<Integer> {
        @Option(names = "--config", required = true, paramLabel = "FILE", description = "HOCON or JSON config file")
        Path config;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            GatewayConfig c = loadOrReport(config, spec.commandLine().getErr());
            if (c == null) {
                return EXIT_INVALID;
            }
            return serve(c, spec.commandLine().getOut(), null);
        }
    }

    @Command(name = "demo", mixinStandardHelpOptions = true,
            description = "Start a stable and a canary demo upstream and the gateway in front of them (config/demo.conf).")
    static final class Demo implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE",
                description = "demo config (default: config/demo.conf if present, else the copy inside the jar)")
        Path config;

        @Option(names = "--tls", description = "serve HTTPS with a self-signed certificate for localhost and "
                + "127.0.0.1, made at start (its path is printed, for curl --cacert)")
        boolean tls;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Path file = config != null ? config : defaultDemoConfig();
            GatewayConfig c = loadOrReport(file, spec.commandLine().getErr());
            if (c == null) {
                return EXIT_INVALID;
            }
            String token = c.admin().token().orElse(null);
            Path cert = null;
            if (token == null || tls) {
                boolean freshToken = token == null;
                token = freshToken ? DemoToken.fresh() : token;
                Path dir = Files.createTempDirectory("ramp-demo");
                dir.toFile().deleteOnExit();
                Path key = null;
                if (tls) {
                    cert = dir.resolve("cert.pem");
                    key = dir.resolve("key.pem");
                    SelfSignedCertificate.write(cert, key);
                    cert.toFile().deleteOnExit();
                    key.toFile().deleteOnExit();
                }
                Path wrapper = DemoToken.wrap(file, freshToken ? token : null, cert, key, dir);
                wrapper.toFile().deleteOnExit();
                c = loadOrReport(wrapper, spec.commandLine().getErr());
                if (c == null) {
                    return EXIT_INVALID;
                }
            }
            String bearer = token;
            GatewayConfig demo = c;
            String curl = cert == null ? "curl" : "curl --cacert " + cert;
            Vertx vertx = Vertx.vertx();
            DemoUpstream stable = new DemoUpstream("stable", c.routes().get(0).stable().version());
            DemoUpstream canary = new DemoUpstream("canary", c.routes().get(0).canary().version());
            var s = c.routes().get(0).stable();
            var k = c.routes().get(0).canary();
            stable.start(vertx, s.host(), s.port()).await(10, TimeUnit.SECONDS);
            canary.start(vertx, k.host(), k.port()).await(10, TimeUnit.SECONDS);
            int stableControl = stable.startControl(s.host(), s.port() + 100).await(10, TimeUnit.SECONDS);
            int canaryControl = canary.startControl(k.host(), k.port() + 100).await(10, TimeUnit.SECONDS);
            PrintWriter out = spec.commandLine().getOut();
            out.println("demo upstreams: stable " + s.url() + " (" + s.version() + "), canary " + k.url() + " ("
                        + k.version() + "); fault switches on ports " + stableControl + " and " + canaryControl);
            out.flush();
            return serve(demo, out, () -> {
                String base = (demo.tls().isPresent() ? "https" : "http") + "://127.0.0.1:" + demo.listen().port();
                String admin = "http://127.0.0.1:" + demo.admin().listen().port();
                String route = demo.routes().get(0).name();
                String auth = "-H 'Authorization: Bearer " + bearer + "'";
                out.println();
                out.println("Ramp demo is up (config " + file + ", canary weight " + demo.routes().get(0).weight()
                            + ", admin token " + bearer + "). Try:");
                out.println("  open " + admin + "/                           # the live dashboard (revert and resume ask for the token)");
                out.println("  " + curl + " -s " + base + "/ -H 'X-User-Id: alice'        # the same user always gets the same version");
                out.println("  " + curl + " -s -i " + base + "/                            # anonymous: gets a ramp_uid cookie");
                out.println("  " + curl + " -s " + base + "/ -H 'X-Ramp-Version: canary'   # trusted override (from 127.0.0.1)");
                out.println("  for i in $(seq 1 1000); do " + curl + " -s " + base + "/ -H \"X-User-Id: u$i\"; echo; done | sort | uniq -c");
                out.println("  curl -s -XPOST localhost:" + canaryControl + "/_demo/fault -d '{\"mode\":\"status\",\"status\":503}'"
                            + "  # break the canary (503s fall back to stable; the guard reverts it)");
                out.println("  curl -s " + admin + "/api/status                      # weights, state, the guard's evidence");
                out.println("  curl -s -XPOST localhost:" + canaryControl + "/_demo/fault -d '{\"mode\":\"ok\"}'"
                            + "   # heal the canary");
                out.println("  curl -s -XPOST " + auth + " " + admin + "/api/routes/" + route + "/resume"
                            + "   # lift the revert (it survives restarts until then)");
                out.println("  curl -s -XPOST " + auth + " " + admin + "/api/routes/" + route + "/revert"
                            + "   # the kill switch");
                out.println("  curl -s " + admin + "/metrics | grep '^ramp_'          # per-version Prometheus metrics");
                demo.routes().stream().filter(r -> r.rollout() != null).findFirst().ifPresent(plan -> out.println(
                        "  for i in $(seq 1 300); do " + curl + " -s -o /dev/null " + base + plan.match().pathPrefix()
                        + " -H \"X-User-Id: u$i\"; done; curl -s '" + admin + "/api/status?route=" + plan.name()
                        + "' | jq .routes[0].rollout   # a rollout plan stepping by itself"));
                out.println("Ctrl-C stops it.");
                out.flush();
            });
        }

        private static Path defaultDemoConfig() throws IOException {
            Path local = Path.of("config", "demo.conf");
            if (Files.isRegularFile(local)) {
                return local;
            }
            Path tmp = Files.createTempFile("ramp-demo", ".conf");
            tmp.toFile().deleteOnExit();
            try (InputStream in = Main.class.getResourceAsStream("/demo.conf")) {
                if (in == null) {
                    throw new IOException("no config/demo.conf here and none bundled in the jar");
                }
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            return tmp;
        }
    }

    /** Starts the gateway and blocks until SIGTERM/SIGINT, then drains and returns 0. */
    static int serve(GatewayConfig config, PrintWriter out, Runnable onReady) throws Exception {
        Logger log = LoggerFactory.getLogger(Main.class);
        Gateway gateway = Gateway.start(config);
        out.println("Ramp serving on " + (config.tls().isPresent() ? "https" : "http") + "://" + config.listen().host() + ":" + gateway.port() + ", admin API on http://"
                    + config.admin().listen().host() + ":" + gateway.adminPort() + " (dashboard at /, /metrics, /health/ready, /api/status)");
        out.flush();
        Reloader reloader = new Reloader(gateway, ConfigLoader.create()).watch(Duration.ofMillis(200));
        CountDownLatch stop = new CountDownLatch(1);
        Signals.onTerminate(stop::countDown);
        Signals.onUsr1(gateway::reopenAccessLog);
        if (!Signals.onHangup(() -> reloader.reload("SIGHUP"))) {
            log.warn("SIGHUP reload is unavailable: the process was started with SIGHUP ignored (nohup?); "
                     + "edits to {} are still reloaded by the file watcher", config.file());
        }
        if (onReady != null) {
            onReady.run();
        }
        stop.await();
        log.info("shutting down: draining in-flight requests for up to {}", config.shutdownGrace());
        reloader.close();
        gateway.shutdown(gateway.snapshot().config().shutdownGrace());
        return EXIT_OK;
    }
}
