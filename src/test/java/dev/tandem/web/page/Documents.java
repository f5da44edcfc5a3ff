package dev.tandem.web.page;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The state package's own golden documents (src/test/resources/state), so the page is tested on real output. */
final class Documents {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern SECTION = Pattern.compile("^==== tandem state (-\\w) --json .*====$", Pattern.MULTILINE);

    private Documents() {
    }

    /** One view ({@code -s}, {@code -e}...) of one golden case ({@code failed-over}, {@code catching-up}...). */
    static ObjectNode golden(String name, String flag) {
        try {
            String text = Files.readString(Path.of("src/test/resources/state", name + ".json.txt"));
            Matcher m = SECTION.matcher(text);
            while (m.find()) {
                if (!m.group(1).equals(flag)) continue;
                int start = m.end();
                int end = m.find() ? m.start() : text.length();
                return (ObjectNode) MAPPER.readTree(text.substring(start, end));
            }
            throw new IllegalArgumentException("no " + flag + " in " + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
