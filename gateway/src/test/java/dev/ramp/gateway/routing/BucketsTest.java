package dev.ramp.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.commons.codec.digest.MurmurHash3;
import org.junit.jupiter.api.Test;

class BucketsTest {

    @Test
    void murmur3IsTheStandardX86Variant() {
        // Published MurmurHash3_x86_32 vectors (seed 0): other replicas and languages must agree.
        assertThat(hash("")).isEqualTo(0);
        assertThat(hash("The quick brown fox jumps over the lazy dog")).isEqualTo(0x2e4ff723);
    }

    @Test
    void bucketIsTheDesignFormulaOverRouteSlashIdentity() {
        for (String id : new String[] {"alice", "bob", "u123", "", "x".repeat(300)}) {
            long unsigned = hash("shop/" + id) & 0xFFFFFFFFL;
            assertThat(Buckets.bucket("shop", id)).isEqualTo((int) ((unsigned * 10_000) >>> 32));
        }
    }

    @Test
    void nonAsciiIdentitiesHashTheirUtf8Bytes() {
        String id = "zoë-Ω-用户";
        long unsigned = hash("shop/" + id) & 0xFFFFFFFFL;
        assertThat(Buckets.bucket("shop", id)).isEqualTo((int) ((unsigned * 10_000) >>> 32));
    }

    @Test
    void bucketsStayInRange() {
        for (int i = 0; i < 10_000; i++) {
            assertThat(Buckets.bucket("r", "id" + i)).isBetween(0, 9_999);
        }
    }

    @Test
    void theRouteNameSaltsTheBucket() {
        int same = 0;
        for (int i = 0; i < 1000; i++) {
            if (Buckets.bucket("a", "id" + i) == Buckets.bucket("b", "id" + i)) {
                same++;
            }
        }
        assertThat(same).isLessThan(10);
    }

    private static int hash(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return MurmurHash3.hash32x86(b, 0, b.length, 0);
    }

    @Test
    void aHeaderValueViewDecidesLikeItsString() {
        // The data path passes the decoded header value (bytes, read as ISO-8859-1) instead of a String.
        byte[] head = "xx u-42 caf\u00e9 ".getBytes(StandardCharsets.ISO_8859_1);
        for (String id : new String[] {"u-42", "caf\u00e9"}) {
            int at = new String(head, StandardCharsets.ISO_8859_1).indexOf(id);
            AsciiString view = new AsciiString(head, at, id.length(), false);
            assertThat(Buckets.bucket("shop", view)).as(id).isEqualTo(Buckets.bucket("shop", id));
            for (int weight : new int[] {1, 2500, 5000, 9999}) {
                assertThat(Assignment.decide("shop", view, weight, false, null, Set.of(), Set.of()))
                        .isEqualTo(Assignment.decide("shop", id, weight, false, null, Set.of(), Set.of()));
            }
            assertThat(Assignment.decide("shop", view, 1, false, null, Set.of(id), Set.of())).isEqualTo(Version.CANARY);
            assertThat(Assignment.decide("shop", view, 9999, false, null, Set.of(), Set.of(id))).isEqualTo(Version.STABLE);
        }
    }
}
