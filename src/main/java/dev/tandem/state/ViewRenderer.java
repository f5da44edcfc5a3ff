package dev.tandem.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** One view of {@code tandem state}. The problems it picks decide its exit code and are its WARNING lines. */
interface ViewRenderer {

    List<Finding> problems(ClusterHealth h);

    /** 1 when the view picked any problem; a view that only summarises (-b) says 0 whatever it shows. */
    default int exitCode(List<Finding> problems) {
        return problems.isEmpty() ? Rendered.OK : Rendered.ATTENTION;
    }

    void text(ClusterHealth h, TextLines out);

    /** Adds the view's own fields to the envelope that already holds schemaVersion, view, exitCode, problems. */
    void json(ClusterHealth h, ObjectNode out);
}
