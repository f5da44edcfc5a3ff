package dev.tandem.cluster.spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Typed, line-aware access to one mapping of a spec. {@code name} is the mapping's dotted path ("segments"),
 * {@code line} where it starts (the line of its key), used when a key is missing.
 */
final class YamlMapping {

    private final Path file;
    private final String name;
    private final int line;
    private final YamlNode.Mapping node;

    YamlMapping(Path file, String name, int line, YamlNode.Mapping node) {
        this.file = file;
        this.name = name;
        this.line = line;
        this.node = node;
    }

    /** Refuses keys outside {@code allowed}: a misspelt optional key would otherwise be silently ignored. */
    YamlMapping allowOnly(Set<String> allowed) {
        for (YamlNode.Entry e : node.entries().values()) {
            if (!allowed.contains(e.key())) {
                throw new SpecException(file, e.keyLine(), "unknown key '" + qualified(e.key()) + "' (expected "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
        return this;
    }

    boolean has(String key) {
        return optional(key).isPresent();
    }

    /** An absent key and a key with an empty value are the same thing for an optional setting. */
    Optional<YamlNode> optional(String key) {
        YamlNode.Entry e = node.entries().get(key);
        if (e == null || e.value() instanceof YamlNode.Scalar s && s.isNull()) return Optional.empty();
        return Optional.of(e.value());
    }

    YamlNode required(String key) {
        YamlNode.Entry e = node.entries().get(key);
        if (e == null) throw new SpecException(file, line, "missing required key '" + qualified(key) + "'");
        if (e.value() instanceof YamlNode.Scalar s && s.isNull()) {
            throw new SpecException(file, e.keyLine(), "'" + qualified(key) + "' has no value");
        }
        return e.value();
    }

    int lineOf(String key) {
        YamlNode.Entry e = node.entries().get(key);
        return e == null ? line : e.value().line();
    }

    SpecException badValue(String key, String problem) {
        return new SpecException(file, lineOf(key), qualified(key) + ": " + problem);
    }

    SpecException badKey(String key, String problem) {
        return new SpecException(file, node.entries().get(key).keyLine(), "'" + qualified(key) + "' " + problem);
    }

    SpecException badValue(String key, YamlNode at, String problem) {
        return new SpecException(file, at.line(), qualified(key) + ": " + problem);
    }

    String text(String key) {
        return text(key, required(key));
    }

    Optional<String> optionalText(String key) {
        return optional(key).map(v -> text(key, v));
    }

    int integer(String key) {
        return integer(key, required(key));
    }

    Optional<Integer> optionalInteger(String key) {
        return optional(key).map(v -> integer(key, v));
    }

    /** {@code true} or {@code false}, as YAML writes them; anything else is named with its line. */
    Optional<Boolean> optionalBoolean(String key) {
        return optional(key).map(v -> {
            String t = text(key, v);
            if (t.equals("true")) return true;
            if (t.equals("false")) return false;
            throw badValue(key, v, "expected true or false, got '" + t + "'");
        });
    }

    List<YamlNode.Scalar> list(String key) {
        YamlNode v = required(key);
        if (!(v instanceof YamlNode.Sequence seq)) throw wrongType(key, v, "a list");
        List<YamlNode.Scalar> out = new ArrayList<>();
        for (YamlNode item : seq.items()) {
            if (!(item instanceof YamlNode.Scalar s) || s.isNull()) throw wrongType(key, item, "a list of values");
            out.add(s);
        }
        return out;
    }

    YamlMapping mapping(String key) {
        YamlNode v = required(key);
        return asMapping(key, v);
    }

    Optional<YamlMapping> optionalMapping(String key) {
        return optional(key).map(v -> asMapping(key, v));
    }

    /** One item (a mapping) of the list under {@code key}, named {@code key} for messages. */
    YamlMapping item(String key, YamlNode.Mapping m) {
        return new YamlMapping(file, qualified(key), m.line(), m);
    }

    /** Entries in file order, for free-form mappings such as settings. */
    List<YamlNode.Entry> entries() {
        return List.copyOf(node.entries().values());
    }

    String qualified(String key) {
        return name.isEmpty() ? key : name + "." + key;
    }

    private YamlMapping asMapping(String key, YamlNode v) {
        if (!(v instanceof YamlNode.Mapping m)) throw wrongType(key, v, "a mapping");
        return new YamlMapping(file, qualified(key), node.entries().get(key).keyLine(), m);
    }

    private String text(String key, YamlNode v) {
        if (!(v instanceof YamlNode.Scalar s)) throw wrongType(key, v, "a single value");
        return s.text();
    }

    private int integer(String key, YamlNode v) {
        if (!(v instanceof YamlNode.Scalar s) || s.number() == null) throw wrongType(key, v, "an integer");
        if (!(s.number() instanceof Integer i)) throw badValue(key, v, s.text() + " is out of range");
        return i;
    }

    private SpecException wrongType(String key, YamlNode got, String expected) {
        return badValue(key, got, "expected " + expected + ", got " + got.describe());
    }
}
