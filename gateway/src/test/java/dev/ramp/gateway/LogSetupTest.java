package dev.ramp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Logging set up in code instead of a logback.xml, and RAMP_LOG_LEVEL. */
class LogSetupTest {
    @Test
    void logbackFindsTheSetupThroughItsServiceFile() {
        assertThat(ServiceLoader.load(Configurator.class).stream().map(ServiceLoader.Provider::type))
                .contains(LogSetup.class);
        // And it is what configured this JVM's logging: logback's fallback would name its appender "console".
        LoggerContext live = (LoggerContext) LoggerFactory.getILoggerFactory();
        assertThat(live.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR")).isNotNull();
        assertThat(live.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void writesOneLinePerEventToStderrWithTheLevelFromTheVariable() {
        LoggerContext ctx = new LoggerContext();
        LogSetup.apply(ctx, " debug ");
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.DEBUG);
        assertThat(ctx.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
        assertThat(ctx.getLogger("io.vertx").getLevel()).isEqualTo(Level.WARN);
        ConsoleAppender<?> stderr = (ConsoleAppender<?>) root.getAppender("STDERR");
        assertThat(stderr.getTarget()).isEqualTo("System.err");
        assertThat(stderr.isStarted()).isTrue();
        assertThat(((PatternLayoutEncoder) stderr.getEncoder()).getPattern()).isEqualTo(LogSetup.PATTERN);
    }

    @Test
    void unsetOrBlankMeansInfo() {
        for (String v : new String[] {null, "", "  "}) {
            LoggerContext ctx = new LoggerContext();
            LogSetup.apply(ctx, v);
            assertThat(ctx.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).as("%s", v).isEqualTo(Level.INFO);
        }
    }

    @Test
    void aValueThatIsNotALevelIsNamedWithTheChoices() {
        assertThat(LogSetup.levelProblem("WARN")).isNull();
        assertThat(LogSetup.levelProblem("off")).isNull();
        assertThat(LogSetup.levelProblem(null)).isNull();
        assertThat(LogSetup.levelProblem("loud")).isEqualTo(
                "RAMP_LOG_LEVEL=loud is not a log level: expected one of TRACE, DEBUG, INFO, WARN, ERROR, OFF");
        // logback itself would read "WARNING" as DEBUG without a word
        assertThat(LogSetup.levelProblem("WARNING")).startsWith("RAMP_LOG_LEVEL=WARNING is not a log level");
    }
}
