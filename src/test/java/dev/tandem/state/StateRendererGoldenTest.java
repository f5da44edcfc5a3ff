package dev.tandem.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every view of every scenario in {@link Fixtures}, text and JSON, against the files in
 * {@code src/test/resources/state/} (one per scenario and format; each view headed by its flag and exit code).
 * <p>
 * After an intended change of output, regenerate and review the diff:
 * {@code mvn -o test -Dtest=StateRendererGoldenTest -Dtandem.golden.update=true}
 */
@Timeout(10)
class StateRendererGoldenTest {

    private static final boolean UPDATE = Boolean.getBoolean("tandem.golden.update");

    static Stream<Arguments> cases() {
        return Fixtures.scenarios().entrySet().stream().flatMap(e -> Stream.of(
                Arguments.of(e.getKey(), OutputFormat.TEXT), Arguments.of(e.getKey(), OutputFormat.JSON)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesGolden(String scenario, OutputFormat format) throws IOException {
        String name = scenario + (format == OutputFormat.TEXT ? ".txt" : ".json.txt");
        String actual = allViews(Fixtures.scenarios().get(scenario), format);
        if (UPDATE) {
            Path file = Path.of("src/test/resources/state", name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            return; // the class path copy is stale until the next build
        }
        assertThat(actual).isEqualTo(golden(name));
    }

    /** Greenplum's log prefix on every text line, at a fixed time, PID, host and user. */
    static final TextStyle GOLDEN = new TextStyle(false, new LinePrefix("gpstate", "cdw", "gpadmin", 12345,
            () -> java.time.LocalDateTime.of(2026, 12, 3, 18, 34, 39)), false);

    static String allViews(StateReport report, OutputFormat format) {
        StringBuilder b = new StringBuilder();
        for (StateView v : StateView.values()) {
            Rendered r = StateRenderer.render(report, v, format, GOLDEN);
            b.append("==== tandem state ").append(v.flag()).append(format == OutputFormat.JSON ? " --json" : "")
                    .append("  (exit ").append(r.exitCode()).append(") ====\n").append(r.text()).append('\n');
        }
        return b.toString();
    }

    private static String golden(String name) throws IOException {
        try (InputStream in = StateRendererGoldenTest.class.getResourceAsStream("/state/" + name)) {
            assertThat(in).as("golden file state/%s (run with -Dtandem.golden.update=true to create it)", name)
                    .isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static Map<String, StateReport> scenarios() {
        return Fixtures.scenarios();
    }
}
