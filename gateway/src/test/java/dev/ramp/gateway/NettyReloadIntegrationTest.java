package dev.ramp.gateway;

/** Every test of {@link ReloadIntegrationTest} again, on the Netty engine. */
class NettyReloadIntegrationTest extends ReloadIntegrationTest {
    @Override
    String engine() {
        return "netty";
    }
}
