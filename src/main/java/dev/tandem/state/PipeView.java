package dev.tandem.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.catalog.Segment;
import dev.tandem.state.InstanceObservation.Reachable;
import java.util.ArrayList;
import java.util.List;

/**
 * gpstate --segmentStatusPipeSeparatedForTableUse: one row per segment instance, fields separated by {@code |}
 * in gpstate's column order, no header, no prefix (it is read by a table, not a person). Always exit 0.
 * The version column is empty: Tandem's probe does not ask it (gpstate -i does).
 */
final class PipeView implements ViewRenderer {

    /** The columns, in order, as a table definition names them. */
    static final List<String> COLUMNS = List.of("dbid int", "contentid int", "hostname text", "address text",
            "datadir text", "port int", "role text", "preferred_role text", "mirror_status text",
            "mirror_recovery_start text", "status_in_config text", "instance_status text", "has_status_warning bool",
            "error_getting_status text", "postmaster_pid_file_exists bool", "postmaster_pid int",
            "lock_files_exist bool", "active_pid int", "version text");

    @Override
    public List<Finding> problems(ClusterHealth h) {
        return List.of();
    }

    @Override
    public void text(ClusterHealth h, TextLines out) {
        for (Segment s : h.instances()) out.raw(String.join("|", row(h, s)));
    }

    private static List<String> row(ClusterHealth h, Segment s) {
        InstanceObservation o = h.observation(s);
        boolean running = o instanceof Reachable;
        String pid = o instanceof Reachable r && r.pid().isPresent() ? Integer.toString(r.pid().getAsInt()) : "";
        String status = !s.isUp() ? "Down in configuration" : switch (o) {
            case Reachable r -> "Up";
            case InstanceObservation.Unreachable u -> "Unreachable: " + u.reason();
            case InstanceObservation.NotContacted n -> "Not checked (quick mode)";
        };
        List<String> cells = new ArrayList<>(List.of(Integer.toString(s.dbid()), Integer.toString(s.content()),
                s.hostname(), s.address(), s.datadir(), Integer.toString(s.port()), DetailView.title(s.role().name()),
                DetailView.title(s.preferredRole().name()), DetailView.mirrorStatus(s), "", s.isUp() ? "Up" : "Down",
                status, status.equals("Up") ? "f" : "t", o instanceof InstanceObservation.Unreachable u ? u.reason() : "",
                running ? "t" : "f", pid, running ? "t" : "f", pid, ""));
        cells.replaceAll(c -> c.replace('|', '_'));
        return cells;
    }

    @Override
    public void json(ClusterHealth h, ObjectNode out) {
        // a text-only form: the JSON of the same data is tandem state -s --json
    }
}
