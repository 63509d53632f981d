package dev.ramp.gateway.metrics;

/** Every test of {@link PerVersionMetricsScrapeTest} again, on the Netty engine. */
class NettyPerVersionMetricsScrapeTest extends PerVersionMetricsScrapeTest {
    @Override
    String engine() {
        return "netty";
    }
}
