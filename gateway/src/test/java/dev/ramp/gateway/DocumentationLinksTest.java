package dev.ramp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every reference in the repository's docs, config and code comments resolves to a file in the repository:
 * markdown links, "docs/....md" mentions, and no pointers to files that live outside it.
 */
class DocumentationLinksTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern MD_LINK = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");
    private static final Pattern DOCS_MENTION = Pattern.compile("\\b(docs/[A-Za-z0-9_/.-]+\\.md)");
    private static final Pattern OUTSIDE = Pattern.compile("DESIGN\\.md|DEPENDENCIES\\.md|docs-admin\\.md"
            + "|docs-loadtests\\.md|\\.\\./shared/|\\bshared/[A-Z]");

    private static List<Path> files() throws IOException {
        List<Path> out = new ArrayList<>();
        out.add(ROOT.resolve("README.md"));
        out.add(ROOT.resolve("pom.xml"));
        for (String dir : List.of("docs", "config", "docker", "loadtests", "gateway/src/main", ".ci")) {
            Path d = ROOT.resolve(dir);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(d)) {
                s.filter(Files::isRegularFile)
                        .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/node_modules/"))
                        .filter(p -> p.toString().matches(".*\\.(md|conf|java|sh|xml|yml|yaml|json|scala)$")
                                     || p.getFileName().toString().startsWith("Dockerfile"))
                        .forEach(out::add);
            }
        }
        return out;
    }

    @Test
    void everyReferenceResolvesInsideTheRepository() throws IOException {
        assertThat(ROOT.resolve("README.md")).as("run from the gateway module").exists();
        List<String> broken = new ArrayList<>();
        for (Path f : files()) {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            String where = ROOT.relativize(f).toString();
            if (f.toString().endsWith(".md")) {
                Matcher m = MD_LINK.matcher(text);
                while (m.find()) {
                    String target = m.group(1);
                    if (!target.contains("://") && !target.startsWith("mailto:")
                        && !Files.exists(f.getParent().resolve(target).normalize())) {
                        broken.add(where + " links to " + target);
                    }
                }
            }
            Matcher d = DOCS_MENTION.matcher(text);
            while (d.find()) {
                if (!Files.exists(ROOT.resolve(d.group(1)))) {
                    broken.add(where + " mentions " + d.group(1));
                }
            }
            Matcher o = OUTSIDE.matcher(text);
            while (o.find()) {
                broken.add(where + " points outside the repository: " + o.group());
            }
        }
        assertThat(broken).isEmpty();
    }
}
