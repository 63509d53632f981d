package dev.ramp.gateway.config;

import com.typesafe.config.ConfigObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads and validates {@code ramp.listen.tls}: the keys, then the files themselves (present, PEM, key
 * matching certificate, see {@link CertifiedKey}), so {@code validate} catches a bad certificate before a
 * start or reload does. Part of {@link ConfigLoader}.
 */
final class TlsReader {
    /** An exact host name or a one-label wildcard, as SNI and certificates know them. */
    private static final Pattern HOST =
            Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

    private TlsReader() {}

    /**
     * The listener's TLS settings; null when {@code tls} is absent (plain HTTP) or after problems were recorded.
     *
     * @param dir the config file's directory, against which relative paths resolve
     */
    static TlsSettings read(ConfigReader listen, Path dir) {
        if (!listen.config.hasPathOrNull("tls")) {
            return null;
        }
        ConfigReader tls = listen.object("tls");
        if (tls == null) {
            return null;
        }
        int before = tls.problems.count();
        TlsProvider provider = tls.has("provider")
                ? tls.choice("provider", TlsProvider.values(), TlsProvider::tag) : TlsProvider.AUTO;
        Path cert = file(tls, "cert", dir);
        Path key = file(tls, "key", dir);
        if (cert != null && key != null) {
            check(tls, cert, key);
        }
        List<TlsSettings.Sni> sni = new ArrayList<>();
        if (tls.has("sni")) {
            List<? extends ConfigObject> entries = tls.objectList("sni");
            Map<String, String> seen = new HashMap<>();
            for (int i = 0; entries != null && i < entries.size(); i++) {
                ConfigObject obj = entries.get(i);
                String base = tls.base + ".sni[" + i + "]";
                ConfigReader r = new ConfigReader(obj.toConfig(), base, obj.origin(), tls.problems);
                List<String> hosts = hosts(r, base, seen);
                Path c = file(r, "cert", dir);
                Path k = file(r, "key", dir);
                if (c != null && k != null) {
                    check(r, c, k);
                }
                if (hosts != null && c != null && k != null) {
                    sni.add(new TlsSettings.Sni(hosts, c, k));
                }
            }
        }
        return tls.problems.count() > before ? null : new TlsSettings(cert, key, sni, provider);
    }

    private static List<String> hosts(ConfigReader r, String base, Map<String, String> seen) {
        List<String> hosts = r.stringList("hosts");
        if (hosts == null) {
            return null;
        }
        if (hosts.isEmpty()) {
            r.problem("hosts", "is empty (expected: host names such as [\"api.example.com\", \"*.example.com\"])");
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            String h = hosts.get(i).trim().toLowerCase(Locale.ROOT);
            if (!HOST.matcher(h).matches()) {
                r.problem("hosts[" + i + "]", "\"" + hosts.get(i) + "\" (expected: a host name such as "
                                              + "\"api.example.com\" or a wildcard such as \"*.example.com\")");
                return null;
            }
            String first = seen.putIfAbsent(h, base);
            if (first != null) {
                r.problem("hosts[" + i + "]", "\"" + h + "\" is already listed in " + first
                                              + " (expected: each host in one sni entry)");
                return null;
            }
            out.add(h);
        }
        return out;
    }

    private static Path file(ConfigReader r, String key, Path dir) {
        String s = r.string(key);
        if (s == null) {
            return null;
        }
        if (s.isBlank()) {
            r.problem(key, "is empty (expected: the path of a PEM file)");
            return null;
        }
        Path p = Path.of(s);
        return (p.isAbsolute() || dir == null ? p : dir.resolve(p)).normalize();
    }

    /** Reads the pair as the listener will, recording why it cannot be used. */
    private static void check(ConfigReader r, Path cert, Path key) {
        try {
            CertifiedKey.read(cert, key);
        } catch (CertifiedKey.Unusable e) {
            // At the line naming the file at fault; a mismatch is the key's.
            r.problem(e.getMessage().startsWith(key + ":") ? "key" : "cert", e.getMessage());
        }
    }
}
