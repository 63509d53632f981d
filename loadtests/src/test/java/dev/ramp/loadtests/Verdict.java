package dev.ramp.loadtests;

import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.http.HttpDsl.status;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A property that Gatling's assertions cannot see (they judge response statistics only: counts, times,
 * failures), such as "the canary share is within 1.5 pp of the weight" or "the canary served nothing 2 s
 * after it broke", turned into one final request whose check fails when the property is broken.
 *
 * <p>The failed request carries the measured value and the reason into the console and the HTML report
 * (request name {@code verdict: <name>}), and {@link #assertions()} make the run fail. Throwing from
 * {@code after()} would fail the run too, but silently as far as the report is concerned.
 *
 * <p>The request itself is a GET on the stable demo upstream, directly: it only carries the check.
 */
final class Verdict {
    private static final Logger log = LoggerFactory.getLogger(Verdict.class);
    private static final String HOLDS = "holds";

    /** What a property evaluated to: whether it holds and what was measured. */
    record Result(boolean holds, String description) {
        static Result of(boolean holds, String description) {
            return new Result(holds, description);
        }
    }

    private final String name;

    private Verdict(String name) {
        this.name = "verdict: " + name;
    }

    static Verdict named(String name) {
        return new Verdict(name);
    }

    /** The final request: evaluates the property when it runs (after the load) and fails if it does not hold. */
    ChainBuilder request(Supplier<Result> property) {
        return exec(http(name).get(Ramp.STABLE_URL + "/verdict").check(
                status().is(200),
                status().transform(s -> {
                    Result r = property.get();
                    if (r.holds()) {
                        log.info("{} holds: {}", name, r.description());
                        return HOLDS;
                    }
                    log.error("{} FAILED: {}", name, r.description());
                    return "FAILED: " + r.description();
                }).is(HOLDS)));
    }

    /** The request ran exactly once and its check passed. */
    List<Assertion> assertions() {
        return List.of(details(name).allRequests().count().is(1L), details(name).failedRequests().count().is(0L));
    }
}
