package dev.ramp.gateway.guard;

import static java.util.Objects.requireNonNull;

/**
 * Where one rule of one look stood, so that an operator sees a breach coming: the figure the rule judges,
 * the limit it may not cross, and the evidence of its test.
 *
 * <table>
 *   <caption>figures per rule</caption>
 *   <tr><th>rule</th><th>value</th><th>limit</th></tr>
 *   <tr><td>{@code error_rate}</td><td>canary error rate</td><td>{@code maxErrorRate}</td></tr>
 *   <tr><td>{@code error_rate_increase}</td><td>canary minus stable error rate</td>
 *       <td>{@code maxErrorRateIncrease}</td></tr>
 *   <tr><td>{@code p99}</td><td>canary p99, ms</td><td>{@code maxP99}, ms</td></tr>
 *   <tr><td>{@code latency_increase}</td><td>canary p95 minus stable p95, ms</td>
 *       <td>the larger of stable p95 &times; {@code maxLatencyIncrease} and {@code minLatencyDifference}, ms</td></tr>
 * </table>
 *
 * @param rule the rule's tag ({@link RevertReason#tag()})
 * @param value the judged figure; NaN when the rule was skipped (no stable data to compare with)
 * @param limit the figure's limit; the rule can only breach above it
 * @param pValue the one-sided p-value of the rule's test; NaN when the test did not run (its limit, or
 *               {@code minFailures}, not reached: the test only runs then)
 * @param breached whether the rule breached: above its limit and {@code pValue < testLevel}
 */
public record RuleCheck(String rule, double value, double limit, double pValue, boolean breached) {

    public RuleCheck {
        requireNonNull(rule, "rule");
    }

    /** A rule that was not judged at all. */
    static RuleCheck skipped(RevertReason rule, double limit) {
        return new RuleCheck(rule.tag(), Double.NaN, limit, Double.NaN, false);
    }

    /** The value as a share of the limit: 1 is at the limit (NaN when skipped or the limit is 0). */
    public double shareOfLimit() {
        return limit == 0 ? Double.NaN : value / limit;
    }
}
