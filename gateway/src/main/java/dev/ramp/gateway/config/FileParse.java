package dev.ramp.gateway.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.impl.Parseable;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Parses the main config file as {@code ConfigFactory.parseFile} does, about twice as fast on large files.
 * Typesafe's file reader hands its tokenizer one character at a time through a synchronized
 * {@code BufferedReader}; here the tokenizer reads from an unsynchronized array. 10 000 routes are a 2 MB file,
 * and its parse was most of {@code validate}, start-up and every reload (docs/benchmarks.md, "Many routes").
 *
 * <p>Same parser, same values, same origins (file name and line), checked against {@code parseFile} by
 * {@code FileParseTest}. A file with {@code include} (or a {@code .properties} file) goes through
 * {@code parseFile}: includes resolve relative to the including file by Typesafe rules this class does not copy.
 */
final class FileParse {
    private FileParse() {}

    static Config parse(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException.IO(ConfigOriginFactory.newFile(file.toString()), e.toString(), e);
        }
        String text = new String(bytes, StandardCharsets.UTF_8); // malformed bytes replaced, as Typesafe's reader does
        ConfigParseOptions options = ConfigParseOptions.defaults().setAllowMissing(false);
        if (text.contains("include") || file.getFileName().toString().endsWith(".properties")) {
            return ConfigFactory.parseFile(file.toFile(), options);
        }
        ConfigSyntax syntax = file.getFileName().toString().endsWith(".json") ? ConfigSyntax.JSON : ConfigSyntax.CONF;
        return new Text(file.toFile().getPath(), text, options.setSyntax(syntax)).parse().toConfig();
    }

    /** A Typesafe parseable over text already read, with the origin a file's values get. */
    private static final class Text extends Parseable {
        private final String path;
        private final String text;

        Text(String path, String text, ConfigParseOptions options) {
            this.path = path;
            this.text = text;
            postConstruct(options);
        }

        @Override
        protected Reader reader() {
            return new CharsReader(text.toCharArray());
        }

        @Override
        protected ConfigOrigin createOrigin() {
            return ConfigOriginFactory.newFile(path);
        }
    }

    /** A reader over an array, without the per-call lock of {@code StringReader} and {@code BufferedReader}. */
    private static final class CharsReader extends Reader {
        private final char[] chars;
        private int next;

        CharsReader(char[] chars) {
            this.chars = chars;
        }

        @Override
        public int read() {
            return next < chars.length ? chars[next++] : -1;
        }

        @Override
        public int read(char[] into, int off, int len) {
            if (next >= chars.length) {
                return -1;
            }
            int n = Math.min(len, chars.length - next);
            System.arraycopy(chars, next, into, off, n);
            next += n;
            return n;
        }

        @Override
        public void close() {
        }
    }
}
