package dev.ramp.gateway.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Cookies#value} against Netty's {@code ServerCookieDecoder.STRICT} and {@code LAX}: for the named cookie
 * the same value (or the same absence), or one of the {@link CookieDifference}s documented in
 * docs/design/http1.md. A new, unlisted difference fails the test.
 */
class CookiesDifferentialTest {
    private static final String NAME = "ramp_uid";
    private static final long SEED = 0xc00c1eL;
    private static final int RANDOM_HEADERS = 5000;

    /** What Netty's decoder finds for {@code name} in {@code h}'s Cookie headers: the first, header by header. */
    static String netty(ServerCookieDecoder decoder, HttpHeaders h, String name) {
        for (String header : h.getAll(HttpHeaderNames.COOKIE)) {
            for (Cookie c : decoder.decodeAll(header)) {
                if (c.name().equals(name)) {
                    return c.value();
                }
            }
        }
        return null;
    }

    private static HttpHeaders cookies(String... values) {
        HttpHeaders h = new FlatHeaders(); // arrival order, as the gateway's decoder gives them
        for (String v : values) {
            h.add(HttpHeaderNames.COOKIE, v);
        }
        return h;
    }

    /** The difference that explains Ramp's and Netty's answers, "same", or "UNEXPLAINED". */
    private static String compare(String header, String ramp, String netty) {
        if (Objects.equals(ramp, netty)) {
            return "same";
        }
        for (CookieDifference d : CookieDifference.values()) {
            if (d.explains(header, NAME, ramp, netty)) {
                return d.name();
            }
        }
        return "UNEXPLAINED";
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "ramp_uid=abc                  | abc     | same                | same",
        "a=1; ramp_uid=abc; b=2        | abc     | same                | same",
        "a=1;ramp_uid=abc              | abc     | same                | same",
        ";;ramp_uid=abc;               | abc     | same                | same",
        "ramp_uid=\"abc\"              | abc     | same                | same",
        "ramp_uid=abc; ramp_uid=def    | abc     | same                | same",
        "$Version=1; ramp_uid=abc      | abc     | same                | same",
        "ramp_uid=a=b                  | a=b     | same                | same",
        "xramp_uid=1; ramp_uid2=2      |         | same                | same",
        "RAMP_UID=abc                  |         | same                | same",
        "ramp_uid                      |         | same                | same",
        "a=1, ramp_uid=abc             |         | same                | same",
        "'ramp_uid=abc  '              | abc     | VALUE_NOT_VALIDATED | TRAILING_SPACES_CUT",
        "'ramp_uid=abc ; x=1'          | abc     | VALUE_NOT_VALIDATED | TRAILING_SPACES_CUT",
        "ramp_uid=a b                  | a b     | VALUE_NOT_VALIDATED | same",
        "ramp_uid=a,b                  | a,b     | VALUE_NOT_VALIDATED | same",
        "ramp_uid=a\\b                 | a\\b    | VALUE_NOT_VALIDATED | same",
        "ramp_uid=\"a b\"              | a b     | VALUE_NOT_VALIDATED | same",
        "ramp_uid=\"abc                | \"abc   | VALUE_NOT_VALIDATED | VALUE_NOT_VALIDATED",
        "ramp_uid=caf\u00e9            | caf\u00e9 | VALUE_NOT_VALIDATED | same",
        "a=1;\tramp_uid=abc            |         | ONLY_SPACE_SEPARATES | ONLY_SPACE_SEPARATES",
        "a=1; ,ramp_uid=abc            |         | ONLY_SPACE_SEPARATES | ONLY_SPACE_SEPARATES",
        "ramp_uid =abc                 |         | same                | NAME_NOT_TRIMMED",
    })
    void theNamedCookieIsFoundAsNettyFindsItOrDiffersInAListedWay(String header, String expected, String vsStrict,
            String vsLax) {
        header = header.replace("\\t", "\t");
        String ramp = Cookies.value(cookies(header), NAME);
        assertThat(ramp).isEqualTo(expected == null ? null : expected.replace("\\\\", "\\"));
        assertThat(compare(header, ramp, netty(ServerCookieDecoder.STRICT, cookies(header), NAME)))
                .as("against STRICT").isEqualTo(vsStrict);
        assertThat(compare(header, ramp, netty(ServerCookieDecoder.LAX, cookies(header), NAME)))
                .as("against LAX").isEqualTo(vsLax);
    }

    @Test
    void theFirstCookieHeaderThatHasTheNameWins() {
        HttpHeaders h = cookies("a=1", "ramp_uid=first", "ramp_uid=second");
        assertThat(Cookies.value(h, NAME)).isEqualTo("first").isEqualTo(netty(ServerCookieDecoder.STRICT, h, NAME));
        assertThat(Cookies.value(cookies(), NAME)).isNull();
        assertThat(Cookies.view((FlatHeaders) h, NAME, new CharSlice())).hasToString("first");
        assertThat(Cookies.view((FlatHeaders) cookies(), NAME, new CharSlice())).isNull();
    }

    @Test
    void randomCookieHeadersDifferOnlyInListedWays() {
        Random random = new Random(SEED);
        List<String> unexplained = new ArrayList<>();
        Map<CookieDifference, Integer> seen = new EnumMap<>(CookieDifference.class);
        int found = 0;
        for (int i = 0; i < RANDOM_HEADERS; i++) {
            String header = randomHeader(random);
            String ramp = Cookies.value(cookies(header), NAME);
            CharSequence view = Cookies.view((FlatHeaders) cookies("a=b", header), NAME, new CharSlice());
            assertThat(view == null ? null : view.toString()).as("the rules' view of %s", header).isEqualTo(ramp);
            found += ramp != null && !ramp.isEmpty() ? 1 : 0;
            for (ServerCookieDecoder decoder : List.of(ServerCookieDecoder.STRICT, ServerCookieDecoder.LAX)) {
                String netty = netty(decoder, cookies(header), NAME);
                String why = compare(header, ramp, netty);
                if (why.equals("UNEXPLAINED")) {
                    unexplained.add(RequestDecoding.escape(header) + " ramp=" + ramp + " netty=" + netty
                            + (decoder == ServerCookieDecoder.STRICT ? " (STRICT)" : " (LAX)"));
                } else if (!why.equals("same")) {
                    seen.merge(CookieDifference.valueOf(why), 1, Integer::sum);
                }
            }
        }
        assertThat(unexplained).as("differences no listed CookieDifference explains").isEmpty();
        assertThat(found).as("headers where the cookie was found").isGreaterThan(RANDOM_HEADERS / 4);
        assertThat(seen).containsKeys(CookieDifference.values());
    }

    private static final String[] NAMES = {NAME, NAME, "a", "sid", "RAMP_UID", "$Version", "ramp_uid2", "xramp_uid"};
    private static final String[] VALUES = {"abc", "0f3a9c", "", "\"q\"", "a b", "a,b", "x=y", "\"open", "v  "};
    private static final String[] SEPARATORS = {"; ", "; ", ";", ";  ", ";\t", ", ", " ;"};
    private static final char[] NASTY = {' ', '\t', ';', ',', '=', '"', '\\', '$', 0x01, 0xe9};

    private static String randomHeader(Random random) {
        StringBuilder b = new StringBuilder();
        for (int n = 1 + random.nextInt(4); n > 0; n--) {
            b.append(NAMES[random.nextInt(NAMES.length)]).append('=').append(VALUES[random.nextInt(VALUES.length)]);
            if (n > 1) {
                b.append(SEPARATORS[random.nextInt(SEPARATORS.length)]);
            }
        }
        if (random.nextInt(3) == 0) {
            int at = random.nextInt(b.length() + 1);
            b.insert(at, NASTY[random.nextInt(NASTY.length)]);
        }
        return b.toString();
    }
}
