package dev.ramp.gateway.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.proxy.http1.RequestCorpus.Case;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ramp's request decoder against Netty's {@code HttpRequestDecoder} on the same bytes: both accept with the same
 * method, target, version, headers, body and trailers, or both reject, or the difference is one of the
 * {@link Difference}s documented in docs/design/http1.md. A new, unlisted difference fails the test.
 */
class Http1DecoderDifferentialTest {
    private static final long SEED = 0x5eed_1e55L;
    private static final int RANDOM_REQUESTS = 4000;

    static Stream<Case> corpus() {
        return RequestCorpus.cases().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void eachEdgeCaseIsDecodedAsNettyDoesOrShowsItsListedDifference(Case c) {
        byte[] in = c.raw().getBytes(StandardCharsets.ISO_8859_1);
        String ramp = RequestDecoding.ramp(in);
        String netty = RequestDecoding.netty(in);
        if (c.expected() == null) {
            assertThat(ramp).as("Ramp vs Netty on %s", c.name()).isEqualTo(netty);
        } else {
            assertThat(ramp).as("%s is listed as %s, but the decoders now agree", c.name(), c.expected())
                    .isNotEqualTo(netty);
            assertThat(c.expected().explains(c.raw(), ramp, netty))
                    .as("%s does not explain %s:%nramp:%n%s%nnetty:%n%s", c.expected(), c.name(), ramp, netty)
                    .isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void rampDecodesAnEdgeCaseTheSameWhetherItArrivesWholeOrByteByByte(Case c) {
        byte[] in = c.raw().getBytes(StandardCharsets.ISO_8859_1);
        assertThat(RequestDecoding.render(new ClientCodec.Decoder(), in, 1)).isEqualTo(RequestDecoding.ramp(in));
    }

    @Test
    void everyDifferenceIsPinnedByAtLeastOneEdgeCase() {
        assertThat(RequestCorpus.cases().stream().map(Case::expected).filter(d -> d != null).distinct())
                .containsExactlyInAnyOrder(Difference.values());
    }

    @Test
    void randomAndMutatedRequestsDifferOnlyInListedWays() {
        RequestGenerator generator = new RequestGenerator(new Random(SEED));
        List<String> unexplained = new ArrayList<>();
        Map<Difference, Integer> seen = new EnumMap<>(Difference.class);
        int same = 0;
        for (int i = 0; i < RANDOM_REQUESTS; i++) {
            String raw = generator.next();
            byte[] in = raw.getBytes(StandardCharsets.ISO_8859_1);
            String ramp = RequestDecoding.ramp(in);
            String netty = RequestDecoding.netty(in);
            String rampBytewise = RequestDecoding.render(new ClientCodec.Decoder(), in, 1 + i % 7);
            if (!rampBytewise.equals(ramp)) {
                unexplained.add("Ramp depends on how the bytes arrive: " + RequestDecoding.escape(raw));
            }
            if (ramp.equals(netty)) {
                same++;
                continue;
            }
            boolean explained = false;
            for (Difference d : Difference.values()) {
                if (d.explains(raw, ramp, netty)) {
                    explained = true;
                    seen.merge(d, 1, Integer::sum);
                }
            }
            if (!explained) {
                unexplained.add(RequestDecoding.escape(raw) + "\n  ramp : " + ramp.replace("\n", "\n         ")
                        + "\n  netty: " + netty.replace("\n", "\n         "));
            }
        }
        assertThat(unexplained).as("differences no listed Difference explains").isEmpty();
        // The generator must keep producing both agreement and the listed disagreements, or it tests nothing.
        assertThat(same).isGreaterThan(RANDOM_REQUESTS / 4);
        assertThat(seen).as("differences seen").containsKeys(Difference.OBS_FOLD, Difference.BARE_LF,
                Difference.TRANSFER_CODING, Difference.DUPLICATE_CONTENT_LENGTH, Difference.HTTP_VERSION);
    }
}
