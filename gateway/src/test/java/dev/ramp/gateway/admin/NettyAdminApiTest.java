package dev.ramp.gateway.admin;

/** Every test of {@link AdminApiTest} again, on the Netty engine. */
class NettyAdminApiTest extends AdminApiTest {
    @Override
    String engine() {
        return "netty";
    }
}
