package dev.tandem.cluster.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** Reads one YAML document into {@link YamlNode}s with their line numbers, refusing duplicate keys. */
final class YamlTreeReader {

    private static final YAMLFactory YAML = new YAMLFactory();

    private final Path file;
    private final JsonParser parser;

    private YamlTreeReader(Path file, JsonParser parser) {
        this.file = file;
        this.parser = parser;
    }

    /** The document's root, or null when the file holds no document. */
    static YamlNode read(Path file) {
        try (Reader in = Files.newBufferedReader(file); JsonParser parser = YAML.createParser(in)) {
            YamlTreeReader reader = new YamlTreeReader(file, parser);
            JsonToken first = parser.nextToken();
            if (first == null) return null;
            YamlNode root = reader.value(first);
            if (parser.nextToken() != null) {
                throw new SpecException(file, reader.line(), "only one YAML document is allowed in a spec");
            }
            return root;
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new SpecException(file, line, "not valid YAML: " + syntaxProblem(e), e);
        } catch (IOException e) {
            throw new SpecException(file, 0, "cannot read: " + e.getMessage(), e);
        }
    }

    // SnakeYAML's own message spans several lines with a caret drawing; keep its words, we give the line.
    private static String syntaxProblem(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException y && y.getProblem() != null) {
            return y.getContext() == null ? y.getProblem() : y.getContext() + ": " + y.getProblem();
        }
        return e.getOriginalMessage();
    }

    private int line() {
        return parser.currentTokenLocation().getLineNr();
    }

    private YamlNode value(JsonToken token) throws IOException {
        int line = line();
        return switch (token) {
            case START_OBJECT -> mapping(line);
            case START_ARRAY -> sequence(line);
            case VALUE_NULL -> new YamlNode.Scalar(null, null, line);
            case VALUE_NUMBER_INT -> new YamlNode.Scalar(parser.getText(), parser.getNumberValue(), line);
            case VALUE_STRING, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE ->
                    new YamlNode.Scalar(parser.getText(), null, line);
            default -> throw new SpecException(file, line, "unexpected YAML content " + token);
        };
    }

    private YamlNode mapping(int line) throws IOException {
        Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
            String key = parser.currentName();
            int keyLine = line();
            YamlNode value = value(parser.nextToken());
            YamlNode.Entry previous = entries.put(key, new YamlNode.Entry(key, keyLine, value));
            if (previous != null) {
                throw new SpecException(file, keyLine, "key '" + key + "' given twice (first on line "
                        + previous.keyLine() + ")");
            }
        }
        return new YamlNode.Mapping(entries, line);
    }

    private YamlNode sequence(int line) throws IOException {
        List<YamlNode> items = new ArrayList<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            items.add(value(t));
        }
        return new YamlNode.Sequence(items, line);
    }
}
