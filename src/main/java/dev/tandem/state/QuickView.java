package dev.tandem.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.catalog.Segment;
import java.util.List;

/**
 * gpstate -Q: the up and down counts from the configuration table, and the down instances; nothing is probed.
 * Exit 1 when an instance is down in the catalog. Its JSON is the brief view's, from the catalog only.
 */
final class QuickView implements ViewRenderer {

    private static final String RULE = "-".repeat(58);

    @Override
    public List<Finding> problems(ClusterHealth h) {
        return h.segmentFindings().stream().filter(f -> f.kind() == Finding.Kind.DOWN).toList();
    }

    @Override
    public void text(ClusterHealth h, TextLines out) {
        out.info("-Quick Greenplum database status from Coordinator instance only").info(RULE);
        List<Segment> down = h.instances().stream().filter(s -> !s.isUp()).toList();
        out.info("# of up segments, from configuration table     = " + (h.instances().size() - down.size()));
        if (!down.isEmpty()) {
            out.info("# of down segments, from configuration table   = " + down.size());
            TextTable t = new TextTable("Down Segment", "Datadir", "Port");
            for (Segment s : down) t.row(s.hostname(), s.datadir(), Integer.toString(s.port()));
            out.table("   ", t);
        }
        out.info(RULE);
    }

    @Override
    public void json(ClusterHealth h, ObjectNode out) {
        new BriefView().json(h, out);
    }
}
