package dev.ramp.gateway.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link RequestTarget#query}: the first value of a parameter, as Netty's {@link QueryStringDecoder} reads it. */
class QueryParameterTest {
    private static CharSequence q(String uri, String name) {
        CharSequence v = RequestTarget.query(uri, name, new CharSlice());
        return v == null ? null : v.toString();
    }

    @Test
    void valuesAreFoundAndDecoded() {
        assertThat(q("/p?preview=yes", "preview")).isEqualTo("yes");
        assertThat(q("/p?a=1&preview=yes&preview=no", "preview")).isEqualTo("yes");
        assertThat(q("/p?preview", "preview")).isEqualTo("");
        assertThat(q("/p?preview=", "preview")).isEqualTo("");
        assertThat(q("/p?pre%76iew=y%65s+no", "preview")).isEqualTo("yes no");
        assertThat(q("/p?previewx=1&xpreview=2", "preview")).isNull();
        assertThat(q("/p", "preview")).isNull();
        assertThat(q("/p?", "preview")).isNull();
    }

    @Test
    void aBrokenEscapeIsKeptAsSentRatherThanFailingTheRequest() {
        assertThat(q("/p?preview=%", "preview")).isEqualTo("%");
        assertThat(q("/p?preview=%zz&x=1", "preview")).isEqualTo("%zz");
        assertThat(q("/p?pre%zz=1&preview=2", "preview")).isEqualTo("2");
    }

    @Test
    void randomTargetsAgreeWithNettysDecoder() {
        Random r = new Random(59);
        String[] names = {"a", "preview", "pre%76iew", "b+c", "", "x"};
        String[] values = {"", "yes", "y%65s", "a+b", "%2F", "1=2"};
        for (int i = 0; i < 5_000; i++) {
            StringBuilder uri = new StringBuilder("/p?");
            int n = r.nextInt(4);
            for (int k = 0; k < n; k++) {
                uri.append(k == 0 ? "" : "&").append(names[r.nextInt(names.length)]);
                if (r.nextInt(4) > 0) {
                    uri.append('=').append(values[r.nextInt(values.length)]);
                }
            }
            Map<String, List<String>> netty = new QueryStringDecoder(uri.toString()).parameters();
            for (String name : List.of("a", "preview", "b c", "x")) {
                List<String> all = netty.get(name);
                assertThat(q(uri.toString(), name)).as("%s in %s", name, uri).isEqualTo(all == null ? null : all.get(0));
            }
        }
    }
}
