package dev.tandem.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The entry point: one report, one view, one format. Pure: the same input always gives the same bytes.
 * {@code terminal} only switches ANSI colour on for text; JSON ignores it.
 */
public final class StateRenderer {

    static final int SCHEMA_VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private StateRenderer() {
    }

    public static Rendered render(StateReport report, StateView view, OutputFormat format, boolean terminal) {
        return render(report, view, format, TextStyle.colour(terminal));
    }

    public static Rendered render(StateReport report, StateView view, OutputFormat format, TextStyle style) {
        return switch (report) {
            case StateReport.CoordinatorDown down -> coordinatorDown(down, view, format, style);
            case StateReport.Available available -> available(new ClusterHealth(available), view, format, style);
        };
    }

    private static Rendered available(ClusterHealth h, StateView view, OutputFormat format, TextStyle style) {
        ViewRenderer r = view.renderer();
        List<Finding> problems = r.problems(h);
        int exit = problems.isEmpty() || !view.problemsSetExitCode() ? Rendered.OK : Rendered.ATTENTION;
        if (format == OutputFormat.TEXT) {
            TextLines out = new TextLines(style.wide());
            r.text(h, out);
            return new Rendered(out.render(style), exit);
        }
        ObjectNode root = envelope(view, exit);
        ArrayNode list = root.putArray("problems");
        for (Finding f : problems) list.add(JsonShapes.finding(f));
        r.json(h, root);
        return new Rendered(write(root), exit);
    }

    private static Rendered coordinatorDown(StateReport.CoordinatorDown down, StateView view, OutputFormat format,
                                            TextStyle style) {
        int exit = Rendered.COORDINATOR_DOWN;
        if (format == OutputFormat.TEXT) {
            TextLines out = new TextLines().error(capitalised(down.message())).info(down.hint());
            return new Rendered(out.render(style), exit);
        }
        ObjectNode root = envelope(view, exit);
        root.putArray("problems").addObject().put("kind", "coordinator_down").putNull("content").putNull("dbid")
                .put("message", down.message());
        ObjectNode c = root.putObject("coordinatorDown");
        c.put("host", down.host()).put("port", down.port()).put("reason", down.reason()).put("hint", down.hint());
        if (down.standbyDatadir().isPresent()) c.put("standbyDatadir", down.standbyDatadir().get());
        else c.putNull("standbyDatadir");
        return new Rendered(write(root), exit);
    }

    private static ObjectNode envelope(StateView view, int exit) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schemaVersion", SCHEMA_VERSION).put("view", view.jsonName()).put("exitCode", exit);
        return root;
    }

    private static String capitalised(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String write(ObjectNode root) {
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
