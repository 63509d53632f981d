package dev.ramp.gateway.proxy.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MirrorComparisonTest {

    private static BodyDigest digest(String... pieces) {
        BodyDigest d = new BodyDigest();
        for (String p : pieces) {
            ByteBuf b = Unpooled.copiedBuffer(p, StandardCharsets.UTF_8);
            d.update(b);
            assertThat(b.readableBytes()).isEqualTo(p.length()); // not consumed: the relay still writes it
            b.release();
        }
        return d;
    }

    @Test
    void aBodyDigestsTheSameWhateverItsPieces() {
        assertThat(digest("hello ", "wor", "ld").sameAs(digest("hello world"))).isTrue();
        assertThat(digest("hello world").sameAs(digest("hello worle"))).isFalse();
        assertThat(digest("").sameAs(digest())).isTrue();
        assertThat(digest("ab").sameAs(digest("ab", "c"))).isFalse();
    }

    @Test
    void onlyTheFirstBytesAreKept() {
        BodyDigest d = digest("a".repeat(400), "b".repeat(400));
        assertThat(d.head()).isEqualTo("a".repeat(400) + "b".repeat(112));
        assertThat(d.length()).isEqualTo(800);
    }

    @Test
    void statusDecidesFirstThenBodiesWhenCompared() {
        BodyDigest a = digest("{\"a\":1}");
        BodyDigest b = digest("{\"a\":2}");
        assertThat(MirrorComparison.compare(200, a, 500, a, true)).isEqualTo(MirrorResult.STATUS_DIFF);
        assertThat(MirrorComparison.compare(200, a, 500, b, true)).isEqualTo(MirrorResult.STATUS_DIFF);
        assertThat(MirrorComparison.compare(200, a, 200, b, true)).isEqualTo(MirrorResult.BODY_DIFF);
        assertThat(MirrorComparison.compare(200, a, 200, b, false)).isEqualTo(MirrorResult.MATCH);
        assertThat(MirrorComparison.compare(200, a, 200, digest("{\"a\":1}"), true)).isEqualTo(MirrorResult.MATCH);
    }

    private static BodyDigest json(String body) {
        BodyDigest d = new BodyDigest();
        d.keepWhole(MirrorComparison.JSON_LIMIT);
        ByteBuf b = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        d.update(b.retainedSlice(0, 3));
        d.update(b.retainedSlice(3, b.readableBytes() - 3));
        b.release(3);
        return d;
    }

    @Test
    void jsonBodiesMatchWhateverTheirKeyOrderButNotWhateverTheirValues() {
        BodyDigest a = json("{\"id\":7,\"tags\":[\"x\",\"y\"],\"price\":{\"eur\":10,\"usd\":11}}");
        BodyDigest reordered = json("{\"price\":{\"usd\":11,\"eur\":10},\"id\":7,\"tags\":[\"x\",\"y\"]}");
        BodyDigest changed = json("{\"price\":{\"usd\":12,\"eur\":10},\"id\":7,\"tags\":[\"x\",\"y\"]}");
        BodyDigest arrayOrder = json("{\"id\":7,\"tags\":[\"y\",\"x\"],\"price\":{\"eur\":10,\"usd\":11}}");
        assertThat(a.sameAs(reordered)).isFalse(); // the bytes differ...
        assertThat(MirrorComparison.compare(200, a, 200, reordered, true)).isEqualTo(MirrorResult.MATCH); // ...the JSON not
        assertThat(MirrorComparison.compare(200, a, 200, changed, true)).isEqualTo(MirrorResult.BODY_DIFF);
        assertThat(MirrorComparison.compare(200, a, 200, arrayOrder, true)).isEqualTo(MirrorResult.BODY_DIFF);
        // Not kept (not JSON, or over the limit): the digest decides.
        assertThat(MirrorComparison.compare(200, digest("{\"a\":1,\"b\":2}"), 200, digest("{\"b\":2,\"a\":1}"), true))
                .isEqualTo(MirrorResult.BODY_DIFF);
        BodyDigest small = new BodyDigest();
        small.keepWhole(4);
        small.update("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(small.whole()).isNull();
    }

    @Test
    void theRingKeepsTheNewestDiffsAndInFlightSlotsAreBounded() {
        MirrorStats s = new MirrorStats();
        assertThat(s.tryStart(2)).isTrue();
        assertThat(s.tryStart(2)).isTrue();
        assertThat(s.tryStart(2)).isFalse();
        assertThat(s.count(MirrorResult.DROPPED)).isEqualTo(1);
        for (int i = 0; i < MirrorStats.RING + 5; i++) {
            s.tryStart(100);
            s.finished(MirrorResult.BODY_DIFF, new MirrorDiff(java.time.Instant.EPOCH, MirrorResult.BODY_DIFF, "GET",
                    "/" + i, 200, 200, "a", "b", java.util.List.of()), 1_000_000, 1_000_000);
        }
        assertThat(s.diffs()).hasSize(MirrorStats.RING);
        assertThat(s.diffs().get(0).uri()).isEqualTo("/" + (MirrorStats.RING + 4));
        assertThat(s.diffs().get(MirrorStats.RING - 1).uri()).isEqualTo("/5");
        assertThat(s.inFlight()).isEqualTo(2);
    }

    @Test
    void ignoredJsonFieldsAreLeftOutOnBothSidesAtAnyDepthAndInEachArrayElement() {
        List<String> ignore = List.of("updatedAt", "meta.requestId", "items.etag");
        BodyDigest a = json("{\"id\":1,\"updatedAt\":\"10:00\",\"meta\":{\"requestId\":\"r1\",\"v\":2},"
                + "\"items\":[{\"n\":1,\"etag\":\"x\"},{\"n\":2,\"etag\":\"y\"}]}");
        BodyDigest b = json("{\"meta\":{\"v\":2,\"requestId\":\"r2\"},\"id\":1,\"updatedAt\":\"10:01\","
                + "\"items\":[{\"n\":1,\"etag\":\"z\"},{\"n\":2}]}");
        assertThat(MirrorComparison.compare(200, a, 200, b, true, ignore, false)).isEqualTo(MirrorResult.MATCH);
        // without the list, the same bodies differ
        assertThat(MirrorComparison.compare(200, a, 200, b, true, List.of(), false)).isEqualTo(MirrorResult.BODY_DIFF);
        // a field that is not ignored still counts, also next to ignored ones
        BodyDigest c = json("{\"id\":1,\"updatedAt\":\"10:00\",\"meta\":{\"requestId\":\"r1\",\"v\":3},"
                + "\"items\":[{\"n\":1,\"etag\":\"x\"},{\"n\":2,\"etag\":\"y\"}]}");
        assertThat(MirrorComparison.compare(200, a, 200, c, true, ignore, false)).isEqualTo(MirrorResult.BODY_DIFF);
        // a top-level array: the path applies to each element
        assertThat(MirrorComparison.compare(200, json("[{\"id\":1,\"updatedAt\":1}]"), 200,
                json("[{\"updatedAt\":2,\"id\":1}]"), true, ignore, false)).isEqualTo(MirrorResult.MATCH);
    }

    @Test
    void headersCountOnlyWhenStatusAndBodyAgreeAndOnlyWhenComparing() {
        BodyDigest a = digest("same");
        BodyDigest b = digest("same");
        assertThat(MirrorComparison.compare(200, a, 200, b, true, List.of(), true)).isEqualTo(MirrorResult.HEADER_DIFF);
        assertThat(MirrorComparison.compare(200, a, 200, digest("other"), true, List.of(), true))
                .isEqualTo(MirrorResult.BODY_DIFF);
        assertThat(MirrorComparison.compare(200, a, 404, b, true, List.of(), true)).isEqualTo(MirrorResult.STATUS_DIFF);
        assertThat(MirrorComparison.compare(200, a, 200, b, false, List.of(), true)).isEqualTo(MirrorResult.MATCH);
    }
}
