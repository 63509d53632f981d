package dev.ramp.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.config.GatewayConfig;
import dev.ramp.gateway.routing.RequestFacts;
import dev.ramp.gateway.routing.Version;
import dev.ramp.gateway.testing.TestConfigs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A request's version from plain values: override, identity, fresh identity, reverted routes. */
class RouteDecisionTest {
    @TempDir
    Path dir;

    private LiveRoute route(String weight) {
        GatewayConfig c = TestConfigs.load(dir, TestConfigs.gateway(dir,
                TestConfigs.route("shop", 9001, 9002, weight, ""), ""));
        return new LiveRoute(c.routes().get(0), null);
    }

    @Test
    void aTrustedOverrideWinsEvenOnARevertedRoute() {
        LiveRoute r = route("0%");
        r.state().revert();
        RouteDecision d = RouteDecision.decide(r, true, "Canary", "alice", RequestFacts.NONE);
        assertThat(d.version()).isEqualTo(Version.CANARY);
        assertThat(d.newIdentity()).isNull();
        assertThat(d.rejected()).isFalse();
    }

    @Test
    void anUntrustedOverrideIsIgnoredEvenWhenItIsGarbage() {
        LiveRoute r = route("0%");
        assertThat(RouteDecision.decide(r, false, "canary", "alice", RequestFacts.NONE).version()).isEqualTo(Version.STABLE);
        assertThat(RouteDecision.decide(r, false, "bogus", "alice", RequestFacts.NONE).rejected()).isFalse();
    }

    @Test
    void aTrustedOverrideNamingNoVersionIsRejectedWithTheHeaderInTheMessage() {
        RouteDecision d = RouteDecision.decide(route("50%"), true, "beta", "alice", RequestFacts.NONE);
        assertThat(d.rejected()).isTrue();
        assertThat(d.version()).isNull();
        assertThat(d.rejection()).isEqualTo("header X-Ramp-Version: \"beta\" (expected: stable or canary)");
    }

    @Test
    void aRequestWithoutIdentityGetsAFreshOneAndIsDecidedOnIt() {
        LiveRoute r = route("100%");
        RouteDecision d = RouteDecision.decide(r, false, null, "", RequestFacts.NONE);
        assertThat(d.newIdentity()).matches("[A-Za-z0-9_-]{22}");
        assertThat(d.version()).isEqualTo(Version.CANARY);
        assertThat(RouteDecision.decide(r, false, null, null, RequestFacts.NONE).newIdentity()).isNotEqualTo(d.newIdentity());
    }

    @Test
    void theSameIdentityGetsTheSameVersionAndARevertSendsItToStable() {
        LiveRoute r = route("50%");
        int canary = 0;
        for (int i = 0; i < 200; i++) {
            Version first = RouteDecision.decide(r, false, null, "user-" + i, RequestFacts.NONE).version();
            assertThat(RouteDecision.decide(r, false, null, "user-" + i, RequestFacts.NONE).version()).isEqualTo(first);
            canary += first == Version.CANARY ? 1 : 0;
        }
        assertThat(canary).isBetween(60, 140);
        r.state().revert();
        for (int i = 0; i < 200; i++) {
            assertThat(RouteDecision.decide(r, false, null, "user-" + i, RequestFacts.NONE).version()).isEqualTo(Version.STABLE);
        }
    }

    @Test
    void theIdentityCookieIsHttpOnlyLaxAndLastsTheConfiguredAge() {
        LiveRoute r = route("5%");
        assertThat(RouteDecision.identityCookie(r.config().sticky(), "abc"))
                .startsWith("ramp_uid=abc;")
                .contains("Max-Age=2592000", "Path=/", "HTTPOnly", "SameSite=Lax");
    }
}
