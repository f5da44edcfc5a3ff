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
        TextTable top = new TextTable("Instance", "Host", "Datadir", "Port");
        top.row("Coordinator", c.hostname(), c.datadir(), Integer.toString(c.port()));
        h.standby().standby().ifPresent(s -> top.row("Standby coordinator", s.hostname(), s.datadir(),
                Integer.toString(s.port())));
        out.info("-Coordinator instance port assignments").rule().table("   ", top).rule();
        out.info("-Segment instance port assignments").rule();
        TextTable t = new TextTable("Host", "Datadir", "Port", "Content", "Role");
        for (Segment s : h.instances()) {
            t.row(s.hostname(), s.datadir(), Integer.toString(s.port()), Integer.toString(s.content()),
                    DetailView.title(s.role().name()));
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
