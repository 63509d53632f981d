package dev.ramp.gateway.rollout;

import static java.util.Objects.requireNonNull;

/**
 * What one gate answered before a step up.
 *
 * @param url    the gate asked
 * @param passed whether it let the step go (a 2xx answer)
 * @param detail the answer for the status and the event: {@code "200"}, {@code "500"}, {@code "timed out
 *               after 10s"}, {@code "Connection refused"}
 */
public record GateAnswer(String url, boolean passed, String detail) {
    public GateAnswer {
        requireNonNull(url, "url");
        requireNonNull(detail, "detail");
    }
}
