package dev.ramp.gateway.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.hawkular.agent.prometheus.text.TextPrometheusMetricDataParser;
import org.hawkular.agent.prometheus.types.Counter;
import org.hawkular.agent.prometheus.types.Gauge;
import org.hawkular.agent.prometheus.types.Histogram;
import org.hawkular.agent.prometheus.types.Metric;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.hawkular.agent.prometheus.types.Summary;

/**
 * A {@code /metrics} scrape read through a real Prometheus text-format parser (Hawkular's port of the
 * Python client's parser). That parser skips lines it cannot read; {@link #parse} therefore also checks
 * that every sample line of the text came out as a sample, so a malformed line fails the test instead of
 * vanishing.
 */
public final class PrometheusScrape {
    private final Map<String, MetricFamily> families;

    private PrometheusScrape(Map<String, MetricFamily> families) {
        this.families = families;
    }

    public static PrometheusScrape parse(String text) {
        Map<String, MetricFamily> families = new LinkedHashMap<>();
        TextPrometheusMetricDataParser parser =
                new TextPrometheusMetricDataParser(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        try {
            for (MetricFamily f = parser.parse(); f != null; f = parser.parse()) {
                if (families.put(f.getName(), f) != null) {
                    throw new AssertionError("metric family " + f.getName() + " appears twice in the scrape");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long sampleLines = text.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).count();
        long parsed = families.values().stream().mapToLong(PrometheusScrape::samples).sum();
        if (sampleLines != parsed) {
            throw new AssertionError("the parser read " + parsed + " samples from " + sampleLines
                                     + " sample lines: some line is malformed\n" + text);
        }
        return new PrometheusScrape(families);
    }

    private static long samples(MetricFamily f) {
        long n = 0;
        for (Metric m : f.getMetrics()) {
            if (m instanceof Histogram h) {
                n += h.getBuckets().size() + 2;
            } else if (m instanceof Summary s) {
                n += s.getQuantiles().size() + 2;
            } else {
                n++;
            }
        }
        return n;
    }

    public boolean has(String family) {
        return families.containsKey(family);
    }

    public MetricFamily family(String name) {
        MetricFamily f = families.get(name);
        if (f == null) {
            throw new AssertionError("no metric family " + name + " in the scrape; families: " + families.keySet());
        }
        return f;
    }

    /** The label sets of every series of a family. */
    public List<Map<String, String>> labelSets(String family) {
        if (!has(family)) {
            return List.of();
        }
        return family(family).getMetrics().stream().map(Metric::getLabels).collect(Collectors.toList());
    }

    /** Every series (of any family) carrying {@code label=value}, as "family{labels}". */
    public List<String> seriesWith(String label, String value) {
        List<String> out = new ArrayList<>();
        families.values().forEach(f -> f.getMetrics().stream()
                .filter(m -> value.equals(m.getLabels().get(label)))
                .forEach(m -> out.add(f.getName() + m.getLabels())));
        return out;
    }

    public Metric metric(String family, String... labels) {
        Map<String, String> want = labels(labels);
        return family(family).getMetrics().stream()
                .filter(m -> m.getLabels().equals(want))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + family + want + "; series: " + labelSets(family)));
    }

    public double counter(String family, String... labels) {
        return ((Counter) metric(family, labels)).getValue();
    }

    public double gauge(String family, String... labels) {
        return ((Gauge) metric(family, labels)).getValue();
    }

    public Histogram histogram(String family, String... labels) {
        return (Histogram) metric(family, labels);
    }

    public static Map<String, String> labels(String... kv) {
        if (kv.length % 2 != 0) {
            throw new IllegalArgumentException("labels: name/value pairs expected");
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
