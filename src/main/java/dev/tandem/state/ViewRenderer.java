package dev.tandem.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One view of {@code tandem state}. The problems it picks are its WARNING lines and decide its exit code, unless
 * {@link StateView#problemsSetExitCode()} says the view only summarises (-b).
 */
interface ViewRenderer {

    List<Finding> problems(ClusterHealth h);

    void text(ClusterHealth h, TextLines out);

    /** Adds the view's own fields to the envelope that already holds schemaVersion, view, exitCode, problems. */
    void json(ClusterHealth h, ObjectNode out);
}
