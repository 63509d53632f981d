package dev.ramp.gateway.control;

/** Every test of {@link GuardIntegrationTest} again, on the Netty engine. */
class NettyGuardIntegrationTest extends GuardIntegrationTest {
    @Override
    String engine() {
        return "netty";
    }
}
