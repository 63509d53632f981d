package dev.ramp.gateway.proxy;

/** Every test of {@link TimeoutIntegrationTest} again, on the Netty engine. */
class NettyTimeoutIntegrationTest extends TimeoutIntegrationTest {
    @Override
    String engine() {
        return "netty";
    }
}
