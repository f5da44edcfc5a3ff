package dev.tandem.cluster.spec;

import java.util.List;
import java.util.Map;

/**
 * A YAML value that remembers the line it came from, so that every complaint about a spec can name its line
 * (a bound object, as Jackson's databind produces, has lost that by the time values are checked).
 */
sealed interface YamlNode {

    int line();

    /** What the value is, for "expected X, got Y" messages. */
    String describe();

    /** {@code number} is set for integer literals only; {@code text} is null for an empty value. */
    record Scalar(String text, Number number, int line) implements YamlNode {
        boolean isNull() {
            return text == null;
        }

        @Override
        public String describe() {
            return isNull() ? "nothing" : "'" + text + "'";
        }
    }

    record Sequence(List<YamlNode> items, int line) implements YamlNode {
        @Override
        public String describe() {
            return "a list";
        }
    }

    /** Entries keep the file's order. */
    record Mapping(Map<String, Entry> entries, int line) implements YamlNode {
        @Override
        public String describe() {
            return "a mapping";
        }
    }

    record Entry(String key, int keyLine, YamlNode value) {
    }
}
