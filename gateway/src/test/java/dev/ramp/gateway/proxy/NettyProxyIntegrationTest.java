package dev.ramp.gateway.proxy;

/** Every test of {@link ProxyIntegrationTest} again, on the Netty engine. */
class NettyProxyIntegrationTest extends ProxyIntegrationTest {
    @Override
    String engine() {
        return "netty";
    }
}
