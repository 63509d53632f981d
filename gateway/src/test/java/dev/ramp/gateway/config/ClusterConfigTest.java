package dev.ramp.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ramp.gateway.testing.TestConfigs;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterConfigTest {
    @TempDir
    Path dir;

    private GatewayConfig load(String cluster) throws InvalidConfigException {
        String route = TestConfigs.route("shop", 1, 2, "5%", "");
        return ConfigLoader.load(TestConfigs.write(dir, "g.conf", TestConfigs.gateway(dir, route, cluster)));
    }

    @Test
    void withoutARedisUrlTheGatewayIsASingleReplica() throws Exception {
        ClusterSettings c = load("").cluster();
        assertThat(c.enabled()).isFalse();
        assertThat(c.keyPrefix()).isEqualTo("ramp:");
        assertThat(c.resyncEvery()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.retryMax()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aRedisUrlWithPasswordAndTlsIsReadAndNeverPrinted() throws Exception {
        ClusterSettings c = load("cluster { redis-url = \"rediss://ramp:s3cret@redis.internal:6380/2\","
                                 + " key-prefix = \"shop-gw:\", replica-id = \"gw-1\" }").cluster();
        assertThat(c.enabled()).isTrue();
        assertThat(c.redisUrl().orElseThrow().getScheme()).isEqualTo("rediss");
        assertThat(c.keyPrefix()).isEqualTo("shop-gw:");
        assertThat(c.replicaId()).isEqualTo("gw-1");
        assertThat(c.toString()).doesNotContain("s3cret").contains("rediss://***@redis.internal:6380/2");
    }

    @Test
    void badValuesAreReportedTogetherWithFileAndLineAndThePasswordHidden() {
        assertThatThrownBy(() -> load("cluster {\n redis-url = \"http://u:s3cret@x:1\"\n key-prefix = \" \"\n"
                                      + " resync-every = 10ms\n replica-id = \"a:b\"\n retry-mx = 1s\n}"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("ramp.cluster.redis-url")
                .hasMessageContaining("expected: redis://")
                .hasMessageContaining("ramp.cluster.key-prefix")
                .hasMessageContaining("ramp.cluster.resync-every")
                .hasMessageContaining("ramp.cluster.replica-id")
                .hasMessageContaining("ramp.cluster.retry-mx")
                .hasMessageContaining("did you mean \"retry-max\"")
                .hasMessageContaining("g.conf:")
                .message().doesNotContain("s3cret");
    }
}
