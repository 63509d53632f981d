package dev.ramp.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FileParse} against the library it speeds up: the same values and origins as {@code parseFile}. */
class FileParseTest {
    @TempDir
    Path dir;

    private static Config library(Path file) {
        return ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
    }

    /** Every leaf's path, value, origin file name and line, in a stable order. */
    private static List<String> leaves(ConfigValue v, String path) {
        List<String> out = new ArrayList<>();
        if (v instanceof ConfigObject o) {
            o.keySet().stream().sorted().forEach(k -> out.addAll(leaves(o.get(k), path + "/" + k)));
        } else if (v instanceof ConfigList l) {
            for (int i = 0; i < l.size(); i++) {
                out.addAll(leaves(l.get(i), path + "[" + i + "]"));
            }
        } else {
            out.add(path + "=" + v.render() + " @" + v.origin().filename() + ":" + v.origin().lineNumber()
                    + " " + v.origin().description());
        }
        return out;
    }

    private void same(Path file) {
        Config fast = FileParse.parse(file);
        Config lib = library(file);
        assertThat(fast).isEqualTo(lib);
        assertThat(leaves(fast.root(), "")).isEqualTo(leaves(lib.root(), "")).isNotEmpty();
        assertThat(fast.root().origin().filename()).isEqualTo(lib.root().origin().filename()).isNotNull();
    }

    @Test
    void aGatewayConfigParsesToTheSameValuesAndOrigins() throws Exception {
        Path file = dir.resolve("gateway.conf");
        Files.writeString(file, """
                # a comment
                ramp {
                  listen { host = "127.0.0.1", port = 0 }
                  admin.port = 9901
                  state-dir = ${?RAMP_STATE_DIR_THAT_IS_UNSET}
                  routes = [
                    { name = "shop", weight = "5%", // trailing comment
                      stable { url = "http://127.0.0.1:9001", version = v1 }
                      canary { url = "http://127.0.0.1:9002", version = "v2" }
                      rules = [ { match { header { "X-Plan" = ["beta", "gold"] } }, weight = "50%" } ]
                      guard { max-p99 = 800ms, max-error-rate = "2%" } }
                    { name = "ünïcode", weight = "0%", stable.url = "http://x:1", stable.version = "a\\u00e9" }
                  ]
                  notify = [ { url = "https://hooks.example/x", headers { Authorization = "Bearer t" } } ]
                }
                ramp.routes.0.weight = "1%"
                """);
        same(file);
    }

    @Test
    void jsonSyntaxAndLargeGeneratedFilesAgreeToo() throws Exception {
        Path json = dir.resolve("gateway.json");
        Files.writeString(json, "{\"ramp\": {\"routes\": [{\"name\": \"a\", \"weight\": \"1%\"}], \"x\": [1, 2.5, true, null]}}");
        same(json);
        Random random = new Random(7);
        StringBuilder b = new StringBuilder("ramp.routes = [\n");
        for (int i = 0; i < 500; i++) {
            b.append("  { name = \"r").append(i).append("\", match { hosts = [\"h").append(i).append(".example.com\"] }")
                    .append(random.nextBoolean() ? ", weight = \"" + random.nextInt(101) + "%\"" : "")
                    .append(random.nextBoolean() ? "\n" : " ").append("}\n");
        }
        Path big = dir.resolve("big.conf");
        Files.writeString(big, b.append("]\n").toString());
        same(big);
    }

    @Test
    void filesWithIncludesAreLeftToTheLibrary() throws Exception {
        Files.writeString(dir.resolve("routes.conf"), "routes = [ { name = \"a\" } ]\n");
        Path main = dir.resolve("main.conf");
        Files.writeString(main, "ramp { include \"routes.conf\"\n weight = \"1%\" }\n");
        Config fast = FileParse.parse(main);
        assertThat(fast.getObjectList("ramp.routes").get(0).toConfig().getString("name")).isEqualTo("a");
        assertThat(fast.getObjectList("ramp.routes").get(0).get("name").origin().filename()).endsWith("routes.conf");
        same(main);
    }

    @Test
    void syntaxErrorsAndMalformedBytesAreReportedAsTheLibraryReportsThem() throws Exception {
        Path bad = dir.resolve("bad.conf");
        Files.writeString(bad, "ramp {\n  routes = [ { name = \"a\" \n}\n");
        ConfigException mine = catchParse(() -> FileParse.parse(bad));
        ConfigException lib = catchParse(() -> library(bad));
        assertThat(mine.getMessage()).isEqualTo(lib.getMessage());
        assertThat(mine.origin().lineNumber()).isEqualTo(lib.origin().lineNumber()).isPositive();
        Path latin1 = dir.resolve("latin1.conf");
        Files.write(latin1, "a = \"caf\u00e9\"\n".getBytes(StandardCharsets.ISO_8859_1));
        same(latin1);
        assertThatThrownBy(() -> FileParse.parse(dir.resolve("missing.conf"))).isInstanceOf(ConfigException.IO.class);
    }

    private static ConfigException catchParse(Runnable parse) {
        try {
            parse.run();
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("no ConfigException");
    }
}
