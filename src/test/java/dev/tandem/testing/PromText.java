package dev.tandem.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (0.0.4), for tests. The Java client
 * ({@code io.prometheus:prometheus-metrics-*} 1.10.0) writes this format but ships no reader, so the tests read it
 * here, strictly: a line that is not a comment, a {@code # HELP}, a {@code # TYPE} or a well-formed sample fails
 * the parse, as does a sample whose family has no TYPE, a TYPE given twice, or a sample series given twice.
 */
public final class PromText {

    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)( -?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"\\s*(,|$)");

    private final Map<String, String> types;
    private final List<Sample> samples;

    private PromText(Map<String, String> types, List<Sample> samples) {
        this.types = Collections.unmodifiableMap(types);
        this.samples = List.copyOf(samples);
    }

    public static PromText parse(String text) {
        Map<String, String> types = new LinkedHashMap<>();
        List<Sample> samples = new ArrayList<>();
        Map<String, Boolean> seen = new HashMap<>();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) continue;
            if (line.startsWith("# TYPE ")) {
                String[] p = line.substring(7).split(" ");
                if (p.length != 2 || !NAME.matcher(p[0]).matches()
                        || !List.of("counter", "gauge", "histogram", "summary", "untyped").contains(p[1])) {
                    throw new IllegalArgumentException("line " + n + ": bad TYPE: " + line);
                }
                if (types.put(p[0], p[1]) != null) throw new IllegalArgumentException("line " + n + ": TYPE twice: " + line);
                continue;
            }
            if (line.startsWith("#")) continue; // HELP and comments
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) throw new IllegalArgumentException("line " + n + ": not a sample: " + line);
            String name = m.group(1);
            Map<String, String> labels = labels(m.group(3) == null ? "" : m.group(3), n);
            double value = value(m.group(4), n);
            if (family(name, types).isEmpty()) throw new IllegalArgumentException("line " + n + ": no TYPE for " + name);
            if (seen.put(name + labels, true) != null) throw new IllegalArgumentException("line " + n + ": series twice: " + line);
            samples.add(new Sample(name, labels, value));
        }
        return new PromText(types, samples);
    }

    /** The family a sample belongs to: its own name, or the name without a histogram/summary/counter suffix. */
    static Optional<String> family(String sample, Map<String, String> types) {
        if (types.containsKey(sample)) return Optional.of(sample);
        for (String suffix : new String[] {"_bucket", "_sum", "_count", "_total", "_created"}) {
            if (sample.endsWith(suffix)) {
                String f = sample.substring(0, sample.length() - suffix.length());
                if (types.containsKey(f)) return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    private static Map<String, String> labels(String s, int line) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = LABEL.matcher(s);
        int at = 0;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at) throw new IllegalArgumentException("line " + line + ": bad labels: {" + s + "}");
            String v = m.group(2).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\");
            if (out.put(m.group(1), v) != null) throw new IllegalArgumentException("line " + line + ": label twice: " + m.group(1));
            at = m.end();
        }
        return out;
    }

    private static double value(String s, int line) {
        return switch (s) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                try {
                    yield Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("line " + line + ": bad value: " + s);
                }
            }
        };
    }

    /** Metric family name → type. */
    public Map<String, String> types() {
        return types;
    }

    public List<Sample> samples() {
        return samples;
    }

    /** The value of the one sample named {@code name} whose labels include {@code labels}; empty when none. */
    public Optional<Double> value(String name, Map<String, String> labels) {
        List<Sample> m = samples.stream().filter(s -> s.name().equals(name)
                && s.labels().entrySet().containsAll(labels.entrySet())).toList();
        if (m.size() > 1) throw new IllegalStateException(m.size() + " samples of " + name + " match " + labels);
        return m.stream().findFirst().map(Sample::value);
    }

    /** The sum over every sample named {@code name} (0 when none). */
    public double sum(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).mapToDouble(Sample::value).sum();
    }
}
