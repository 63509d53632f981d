package dev.ramp.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.config.Cidr;
import dev.ramp.gateway.config.Percent;
import dev.ramp.gateway.config.RuleMatch;
import dev.ramp.gateway.config.TargetingRule;
import dev.ramp.gateway.config.ValueMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Properties of targeting rules in the decision (docs/targeting.md), over many random ids (seeded, so a failure
 * reproduces): segment weights are monotone and nest with the route weight; the order of precedence holds.
 */
class TargetingPropertiesTest {
    private static final Set<String> NONE = Set.of();
    /** A request from the beta plan (header X-Plan: beta), from 10.1.2.3, on /api/cart. */
    private static final RequestFacts BETA = facts(Map.of("x-plan", "beta"), "10.1.2.3", "/api/cart");
    private static final RequestFacts OTHER = facts(Map.of("x-plan", "free"), "192.0.2.1", "/shop");

    private static RequestFacts facts(Map<String, String> headers, String source, String path) {
        return new RequestFacts() {
            @Override
            public CharSequence header(String name) {
                return headers.get(name.toLowerCase(java.util.Locale.ROOT));
            }

            @Override
            public CharSequence cookie(String name) {
                return null;
            }

            @Override
            public CharSequence query(String name) {
                return null;
            }

            @Override
            public CharSequence source() {
                return source;
            }

            @Override
            public CharSequence path() {
                return path;
            }
        };
    }

    private static List<String> ids(long seed, int n) {
        Random r = new Random(seed);
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(new UUID(r.nextLong(), r.nextLong()).toString());
        }
        return ids;
    }

    private static RuleMatch header(String name, String value) {
        return new RuleMatch(Map.of(name, ValueMatch.anyOf(List.of(value))), Map.of(), Map.of(), List.of(), null);
    }

    private static Rules betaWeight(int bp) {
        return Rules.of(List.of(new TargetingRule(header("X-Plan", "beta"), null, new Percent(bp))));
    }

    private static int decide(String id, int routeBp, Rules rules, RequestFacts f) {
        return Assignment.decide("shop", id, routeBp, false, null, NONE, NONE, rules, f);
    }

    @Test
    void raisingASegmentWeightOnlyAddsUsersToTheCanary() {
        int[] steps = {0, 1, 100, 1000, 2500, 5000, 9999, 10_000};
        Rules[] segments = java.util.Arrays.stream(steps).mapToObj(TargetingPropertiesTest::betaWeight).toArray(Rules[]::new);
        for (String id : ids(23, 20_000)) {
            boolean wasCanary = false;
            for (int k = 0; k < steps.length; k++) {
                int w = steps[k];
                int d = decide(id, 500, segments[k], BETA);
                assertThat(Decision.reason(d)).isEqualTo(Reason.RULE);
                boolean canary = Decision.version(d) == Version.CANARY;
                assertThat(!wasCanary || canary).as("id %s moved back to stable at segment weight %d bp", id, w).isTrue();
                wasCanary = canary;
            }
        }
    }

    @Test
    void aUserOnTheCanaryAtTheRouteWeightStaysThereInASegmentWithAHigherWeight() {
        Random r = new Random(29);
        for (String id : ids(31, 20_000)) {
            int route = r.nextInt(10_001);
            int segment = route + r.nextInt(10_001 - route);
            boolean atRoute = decide(id, route, Rules.NONE, BETA) == Decision.of(Version.CANARY, Reason.BUCKET);
            boolean inSegment = Decision.version(decide(id, route, betaWeight(segment), BETA)) == Version.CANARY;
            assertThat(!atRoute || inSegment).as("id %s: canary at %d bp, stable in a %d bp segment", id, route, segment)
                    .isTrue();
        }
    }

    @Test
    void aSegmentsCanaryShareFollowsItsWeight() {
        long canary = ids(37, 20_000).stream()
                .filter(id -> Decision.version(decide(id, 100, betaWeight(5000), BETA)) == Version.CANARY).count();
        assertThat(canary / 20_000.0).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void requestsOutsideTheSegmentGetTheRouteWeight() {
        for (String id : ids(41, 5_000)) {
            int d = decide(id, 2500, betaWeight(10_000), OTHER);
            assertThat(Decision.reason(d)).isEqualTo(Reason.BUCKET);
            assertThat(Decision.rule(d)).isEqualTo(-1);
            assertThat(Decision.version(d)).isEqualTo(Assignment.decide("shop", id, 2500, false, null, NONE, NONE));
        }
    }

    @Test
    void theFirstMatchingRuleWins() {
        Rules rules = Rules.of(List.of(
                new TargetingRule(header("X-Plan", "free"), "stable", null),
                new TargetingRule(new RuleMatch(Map.of(), Map.of(), Map.of(), List.of(Cidr.parse("10.0.0.0/8")),
                        null), "canary", null),
                new TargetingRule(header("X-Plan", "beta"), "stable", null)));
        int d = decide("alice", 0, rules, BETA);
        assertThat(Decision.rule(d)).isEqualTo(1);
        assertThat(Decision.version(d)).isEqualTo(Version.CANARY);
        assertThat(Decision.rule(decide("alice", 10_000, rules, OTHER))).isZero();
    }

    @Test
    void everyConditionOfARuleMustHold() {
        Rules rules = Rules.of(List.of(new TargetingRule(new RuleMatch(
                Map.of("X-Plan", ValueMatch.anyOf(List.of("beta"))), Map.of(), Map.of(),
                List.of(Cidr.parse("10.0.0.0/8")), "/api"), "canary", null)));
        assertThat(Decision.rule(decide("a", 0, rules, BETA))).isZero();
        assertThat(Decision.rule(decide("a", 0, rules, facts(Map.of("x-plan", "beta"), "10.1.2.3", "/shop")))).isEqualTo(-1);
        assertThat(Decision.rule(decide("a", 0, rules, facts(Map.of("x-plan", "beta"), "11.1.2.3", "/api")))).isEqualTo(-1);
        assertThat(Decision.rule(decide("a", 0, rules, facts(Map.of(), "10.1.2.3", "/api")))).isEqualTo(-1);
    }

    @Test
    void overrideThenRevertThenRingsComeBeforeRules() {
        Rules pinCanary = Rules.of(List.of(new TargetingRule(header("X-Plan", "beta"), "canary", null)));
        assertThat(Assignment.decide("shop", "u", 0, false, Version.STABLE, NONE, NONE, pinCanary, BETA))
                .isEqualTo(Decision.of(Version.STABLE, Reason.OVERRIDE));
        assertThat(Assignment.decide("shop", "u", 0, true, null, Set.of("u"), NONE, pinCanary, BETA))
                .isEqualTo(Decision.of(Version.STABLE, Reason.REVERTED));
        assertThat(Assignment.decide("shop", "ceo", 0, false, null, NONE, Set.of("ceo"), pinCanary, BETA))
                .isEqualTo(Decision.of(Version.STABLE, Reason.RING));
        assertThat(Assignment.decide("shop", "u", 0, false, null, NONE, Set.of("ceo"), pinCanary, BETA))
                .isEqualTo(Decision.of(Version.CANARY, Reason.RULE, 0));
    }

    @Test
    void aRevertedRouteSendsEveryRuleToStable() {
        Rules rules = Rules.of(List.of(new TargetingRule(header("X-Plan", "beta"), "canary", null),
                new TargetingRule(header("X-Plan", "free"), null, new Percent(10_000))));
        for (String id : ids(43, 2_000)) {
            for (RequestFacts f : List.of(BETA, OTHER)) {
                assertThat(Decision.version(Assignment.decide("shop", id, 10_000, true, null, NONE, NONE, rules, f)))
                        .isEqualTo(Version.STABLE);
            }
        }
    }

    @Test
    void decisionsPackAndUnpack() {
        for (Version v : Version.values()) {
            for (Reason r : Reason.values()) {
                for (int rule : new int[] {-1, 0, 1, 19, 100_000}) {
                    int d = Decision.of(v, r, rule);
                    assertThat(Decision.version(d)).isEqualTo(v);
                    assertThat(Decision.reason(d)).isEqualTo(r);
                    assertThat(Decision.rule(d)).isEqualTo(rule);
                }
            }
        }
    }
}
