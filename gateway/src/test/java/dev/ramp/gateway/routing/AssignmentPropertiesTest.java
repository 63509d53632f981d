package dev.ramp.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Properties of the assignment (docs/architecture.md), over many random ids (seeded, so a failure reproduces). */
class AssignmentPropertiesTest {
    private static final Set<String> NONE = Set.of();

    private static List<String> ids(long seed, int n) {
        Random r = new Random(seed);
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(new UUID(r.nextLong(), r.nextLong()).toString());
        }
        return ids;
    }

    private static Version decide(String id, int weight) {
        return Assignment.decide("shop", id, weight, false, null, NONE, NONE);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 100, 500, 1250, 2500, 5000, 7500, 9900})
    void canaryShareIsWithinOnePointOfTheWeightAt20000Ids(int weightBp) {
        for (long seed = 1; seed <= 3; seed++) {
            long canary = ids(seed, 20_000).stream().filter(id -> decide(id, weightBp) == Version.CANARY).count();
            double share = canary / 20_000.0 * 100;
            assertThat(share).as("seed %d weight %d bp", seed, weightBp).isCloseTo(weightBp / 100.0,
                    org.assertj.core.data.Offset.offset(1.0));
        }
    }

    @Test
    void aUserAlwaysGetsTheSameVersion() {
        for (String id : ids(7, 20_000)) {
            Version first = decide(id, 3000);
            for (int i = 0; i < 3; i++) {
                assertThat(decide(new String(id.toCharArray()), 3000)).isEqualTo(first);
            }
        }
    }

    @Test
    void raisingTheWeightNeverMovesCanaryUsersBack() {
        int[] steps = {0, 1, 100, 500, 2500, 5000, 9999, 10_000};
        for (String id : ids(11, 20_000)) {
            boolean wasCanary = false;
            for (int w : steps) {
                boolean canary = decide(id, w) == Version.CANARY;
                assertThat(!wasCanary || canary).as("id %s moved back to stable at %d bp", id, w).isTrue();
                wasCanary = canary;
            }
        }
    }

    @Test
    void loweringTheWeightOnlyRemovesCanaryUsers() {
        for (String id : ids(13, 20_000)) {
            boolean at25 = decide(id, 2500) == Version.CANARY;
            boolean at5 = decide(id, 500) == Version.CANARY;
            assertThat(!at5 || at25).isTrue();
        }
    }

    @Test
    void zeroAndHundredPercentAreBlueGreen() {
        for (String id : ids(17, 2_000)) {
            assertThat(decide(id, 0)).isEqualTo(Version.STABLE);
            assertThat(decide(id, 10_000)).isEqualTo(Version.CANARY);
        }
    }

    @Test
    void overrideDecidesEvenOnARevertedRoute() {
        assertThat(Assignment.decide("shop", "u", 0, true, Version.CANARY, NONE, NONE)).isEqualTo(Version.CANARY);
        assertThat(Assignment.decide("shop", "u", 10_000, false, Version.STABLE, NONE, NONE)).isEqualTo(Version.STABLE);
    }

    @Test
    void ringsPinUsersUnlessTheRouteIsReverted() {
        Set<String> canaryRing = Set.of("vip");
        Set<String> stableRing = Set.of("ceo");
        assertThat(Assignment.decide("shop", "vip", 1, false, null, canaryRing, stableRing)).isEqualTo(Version.CANARY);
        assertThat(Assignment.decide("shop", "ceo", 9_999, false, null, canaryRing, stableRing)).isEqualTo(Version.STABLE);
        assertThat(Assignment.decide("shop", "vip", 5000, true, null, canaryRing, stableRing)).isEqualTo(Version.STABLE);
    }

    @Test
    void testersInTheCanaryRingSeeTheCanaryAtZeroPercent() {
        Set<String> testers = Set.of("tester");
        assertThat(Assignment.decide("shop", "tester", 0, false, null, testers, NONE)).isEqualTo(Version.CANARY);
        assertThat(Assignment.decide("shop", "someone", 0, false, null, testers, NONE)).isEqualTo(Version.STABLE);
        assertThat(Assignment.decide("shop", "tester", 0, true, null, testers, NONE)).isEqualTo(Version.STABLE);
    }

    @Test
    void aRevertedRouteSendsEveryoneToStable() {
        for (String id : ids(19, 2_000)) {
            assertThat(Assignment.decide("shop", id, 10_000, true, null, NONE, NONE)).isEqualTo(Version.STABLE);
        }
    }

    @Test
    void overrideValuesParseStrictly() {
        assertThat(Assignment.parseOverride("canary")).isEqualTo(Version.CANARY);
        assertThat(Assignment.parseOverride("STABLE")).isEqualTo(Version.STABLE);
        assertThat(Assignment.parseOverride("beta")).isNull();
        assertThat(Assignment.parseOverride(null)).isNull();
    }
}
