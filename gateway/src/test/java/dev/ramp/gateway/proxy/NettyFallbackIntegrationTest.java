package dev.ramp.gateway.proxy;

/** Every test of {@link FallbackIntegrationTest} again, on the Netty engine. */
class NettyFallbackIntegrationTest extends FallbackIntegrationTest {
    @Override
    String engine() {
        return "netty";
    }
}
