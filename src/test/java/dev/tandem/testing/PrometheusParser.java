package dev.tandem.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The Prometheus project's own parser of the text format: the one in its Python client
 * ({@code prometheus_client.parser}, Debian's {@code python3-prometheus-client}), run as a process. The Java client
 * writes the format but ships no reader; tests read with {@link PromText} and check here that the official parser
 * accepts the same text and reads the same samples, so a mistake shared by our writer and our reader cannot pass.
 */
public final class PrometheusParser {

    /** A sample as both parsers see it (a record compares doubles as {@code Double.compare} does: NaN equals NaN). */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    /** Debian's interpreter, where its package installed the client; not whichever python3 comes first in PATH. */
    private static final String PYTHON = "/usr/bin/python3";

    private static final String SCRIPT = """
            import json, sys
            from prometheus_client.parser import text_string_to_metric_families
            out = []
            for family in text_string_to_metric_families(sys.stdin.read()):
                for s in family.samples:
                    out.append({"name": s.name, "labels": s.labels, "value": repr(float(s.value))})
            json.dump(out, sys.stdout)
            """;

    private PrometheusParser() {
    }

    /** Every sample of {@code text}, as the official parser reads it; throws when it refuses the text. */
    public static Set<Sample> parse(String text) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(PYTHON, "-c", SCRIPT).redirectErrorStream(false).start();
        try {
            try (OutputStream in = p.getOutputStream()) {
                in.write(text.getBytes(StandardCharsets.UTF_8));
            }
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) throw new IOException("the Prometheus parser did not finish in 30 s");
            if (p.exitValue() != 0) throw new IOException("the Prometheus parser refused the text: " + err.strip());
            Set<Sample> samples = new HashSet<>();
            for (JsonNode s : new ObjectMapper().readTree(out)) {
                Map<String, String> labels = new TreeMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = s.get("labels").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    labels.put(e.getKey(), e.getValue().asText());
                }
                samples.add(new Sample(s.get("name").asText(), labels, fromPython(s.get("value").asText())));
            }
            return samples;
        } finally {
            p.destroyForcibly();
        }
    }

    /** {@link PromText}'s samples in the same shape, to compare with {@link #parse}. */
    public static Set<Sample> of(PromText text) {
        Set<Sample> samples = new HashSet<>();
        for (PromText.Sample s : text.samples()) {
            samples.add(new Sample(s.name(), new TreeMap<>(s.labels()), s.value()));
        }
        return samples;
    }

    /** Python's repr(float): "nan", "inf" and "-inf" are its own spellings; the rest Java reads. */
    static double fromPython(String v) {
        return switch (v) {
            case "nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(v);
        };
    }
}
