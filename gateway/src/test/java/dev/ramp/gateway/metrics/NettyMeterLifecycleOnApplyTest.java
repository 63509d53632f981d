package dev.ramp.gateway.metrics;

/** Every test of {@link MeterLifecycleOnApplyTest} again, on the Netty engine. */
class NettyMeterLifecycleOnApplyTest extends MeterLifecycleOnApplyTest {
    @Override
    String engine() {
        return "netty";
    }
}
