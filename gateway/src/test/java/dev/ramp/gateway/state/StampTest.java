package dev.ramp.gateway.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StampTest {

    @Test
    void keysOrderAsStringsExactlyAsStampsOrder() {
        Random random = new Random(42);
        List<Stamp> stamps = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            stamps.add(new Stamp(random.nextInt(5) * 999_999_999L + random.nextInt(3),
                    List.of("", "a", "b", "ab", "replica-10", "replica-9").get(random.nextInt(6))));
        }
        List<Stamp> byStamp = new ArrayList<>(stamps);
        Collections.sort(byStamp);
        List<Stamp> byKey = new ArrayList<>(stamps);
        byKey.sort((x, y) -> x.key().compareTo(y.key()));
        assertThat(byKey).isEqualTo(byStamp);
    }

    @Test
    void aKeyParsesBackToItsStamp() {
        Stamp s = new Stamp(1_764_697_200_123L, "gw-1.example");
        assertThat(s.key()).isEqualTo("0001764697200123:gw-1.example");
        assertThat(Stamp.parse(s.key())).isEqualTo(s);
    }

    @Test
    void aStampWithoutAWriterLosesATieAtTheSameMillisecond() {
        assertThat(new Stamp(10, "a").after(new Stamp(10, ""))).isTrue();
        assertThat(new Stamp(10, "").after(new Stamp(9, "z"))).isTrue();
        assertThat(new Stamp(10, "a").after(null)).isTrue();
        assertThat(new Stamp(10, "a").after(new Stamp(10, "a"))).isFalse();
    }

    @Test
    void malformedKeysAndReplicasAreRefused() {
        assertThatThrownBy(() -> Stamp.parse("12:a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Stamp.parse("000000000000001x:a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Stamp(1, "a:b")).isInstanceOf(IllegalArgumentException.class);
    }
}
