package dev.ramp.gateway;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Locale;

/**
 * The gateway's logging, set up in code: one line per event on stderr, {@code io.netty} and {@code io.vertx} at
 * WARN, the root level from {@code RAMP_LOG_LEVEL} (INFO by default). Logback finds it through
 * {@code META-INF/services}; unlike a {@code logback.xml} it needs no XML parser and no configuration model at
 * start, a noticeable part of the time from start to ready. A logback file given with
 * {@code -Dlogback.configurationFile} (or a {@code logback-test.xml} on the class path) still takes over.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
    /** The environment variable that sets the root level. */
    public static final String LEVEL_VARIABLE = "RAMP_LOG_LEVEL";
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24} - %msg%n";
    private static final String[] LEVELS = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF"};

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || LogSetup.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        apply(context, System.getenv(LEVEL_VARIABLE));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Sets up {@code context} with the root level {@code level} (a {@link #LEVEL_VARIABLE} value; null: INFO). */
    static void apply(LoggerContext context, String level) {
        String problem = levelProblem(level);
        if (problem != null) {
            // Main refuses to start on this; reaching it means another entry point, which gets INFO and the reason.
            System.err.println("warning: " + problem + "; logging at INFO");
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(problem != null || level == null || level.isBlank() ? Level.INFO : Level.toLevel(level.trim()));
        root.addAppender(stderr);
        context.getLogger("io.netty").setLevel(Level.WARN);
        context.getLogger("io.vertx").setLevel(Level.WARN);
    }

    /** Why {@code value} is not a log level (null when it is one, or is unset). */
    public static String levelProblem(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim().toUpperCase(Locale.ROOT);
        for (String l : LEVELS) {
            if (l.equals(v)) {
                return null;
            }
        }
        return LEVEL_VARIABLE + "=" + value + " is not a log level: expected one of TRACE, DEBUG, INFO, WARN, ERROR, OFF";
    }
}
