package dev.tandem.state;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.catalog.Segment;
import java.util.List;

/** gpstate -p: where every instance listens. A listing: always exit 0. */
final class PortsView implements ViewRenderer {

    @Override
    public List<Finding> problems(ClusterHealth h) {
        return List.of();
    }

    @Override
    public void text(ClusterHealth h, TextLines out) {
        Segment c = h.coordinator();
        out.info("-Coordinator segment instance  " + c.datadir() + "  port = " + c.port());
        // Tandem's line, in the same shape: the standby coordinator listens too
        h.standby().standby().ifPresent(s -> out.info("-Standby coordinator instance  " + s.hostname() + ":"
                + s.datadir() + "  port = " + s.port()));
        out.info("-Segment instance port assignments").info("-".repeat(34));
        TextTable t = out.wide() ? new TextTable("Host", "Datadir", "Port", "Content", "Role")
                : new TextTable("Host", "Datadir", "Port");
        for (Segment s : h.instances()) {
            if (out.wide()) {
                t.row(s.hostname(), s.datadir(), Integer.toString(s.port()), Integer.toString(s.content()),
                        DetailView.title(s.role().name()));
            } else {
                t.row(s.hostname(), s.datadir(), Integer.toString(s.port()));
            }
        }
        out.table("   ", t);
    }

    @Override
    public void json(ClusterHealth h, ObjectNode out) {
        out.set("coordinator", JsonShapes.location(h.coordinator()));
        out.set("standby", h.standby().standby().map(JsonShapes::location).orElse(null));
        ArrayNode list = out.putArray("instances");
        for (Segment s : h.instances()) list.add(JsonShapes.location(s).put("role", JsonShapes.word(s.role())));
    }
}
