package dev.tandem.state;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.SegmentPair;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** gpstate -c: the configured primary to mirror map with each pair's state. A listing: always exit 0. */
final class ConfigView implements ViewRenderer {

    /** The pair as configured: (preferred primary, preferred mirror), whatever their current roles. */
    private record Configured(SegmentPair pair, Segment primary, Optional<Segment> mirror) {
        static Configured of(SegmentPair p) {
            if (p.mirror().isPresent() && p.primary().preferredRole() == Role.MIRROR
                    && p.mirror().get().preferredRole() == Role.PRIMARY) {
                return new Configured(p, p.mirror().get(), Optional.of(p.primary()));
            }
            return new Configured(p, p.primary(), p.mirror());
        }
    }

    @Override
    public List<Finding> problems(ClusterHealth h) {
        return List.of();
    }

    static String status(ClusterHealth h, Configured c) {
        if (c.mirror().isEmpty()) return "Primary " + active(h, c.primary()) + ", No Mirror";
        if (c.primary().isPrimary()) {
            return "Primary " + active(h, c.primary()) + ", Mirror " + (h.failed(c.mirror().get()) ? "Failed" : "Available");
        }
        return "Mirror " + active(h, c.mirror().get()) + ", Primary " + (h.failed(c.primary()) ? "Failed" : "Available");
    }

    /** The acting primary is "Active" unless the probe could not reach it (a hang or a double fault). */
    private static String active(ClusterHealth h, Segment acting) {
        return h.failed(acting) ? "Unreachable" : "Active";
    }

    @Override
    public void text(ClusterHealth h, TextLines out) {
        if (h.pairs().stream().allMatch(p -> p.mirror().isEmpty())) {
            out.wideRule().info("-Primary list [Mirror not used]").wideRule();
            TextTable t = new TextTable("Primary", "Datadir", "Port");
            for (SegmentPair p : h.pairs()) {
                t.row(p.primary().hostname(), p.primary().datadir(), Integer.toString(p.primary().port()));
            }
            out.table("   ", t).wideRule();
            return;
        }
        MirrorsView.heading(h, out);
        TextTable t = new TextTable("Status", "Data State", "Primary", "Datadir", "Port", "Mirror", "Datadir", "Port");
        long acting = 0, unsynced = 0;
        for (SegmentPair p : h.pairs()) {
            Configured c = Configured.of(p);
            Segment m = c.mirror().orElse(null);
            if (m != null && m.isPrimary()) acting++;
            boolean notSynced = m != null && !ClusterHealth.synced(p);
            if (notSynced) unsynced++;
            String[] cells = {status(h, c), m == null ? "-" : DetailView.mirrorStatus(p.primary()),
                    c.primary().hostname(), c.primary().datadir(), Integer.toString(c.primary().port()),
                    m == null ? "-" : m.hostname(), m == null ? "-" : m.datadir(),
                    m == null ? "-" : Integer.toString(m.port())};
            if (notSynced) t.flaggedRow(cells);
            else t.row(cells);
        }
        out.table("   ", t).wideRule();
        if (acting > 0) out.warn(acting + " segment(s) configured as mirror(s) are acting as primaries");
        if (unsynced > 0) out.warn(unsynced + " primary segment(s) are not synchronized");
    }

    @Override
    public void json(ClusterHealth h, ObjectNode out) {
        out.put("mirroringType", h.report().mirroringType().name().toLowerCase(Locale.ROOT));
        ArrayNode list = out.putArray("pairs");
        for (SegmentPair p : h.pairs()) {
            Configured c = Configured.of(p);
            ObjectNode n = list.addObject().put("content", p.content()).put("status", status(h, c))
                    .put("dataState", ClusterHealth.synced(p) ? "synchronized" : "not_in_sync");
            n.set("primary", JsonShapes.location(c.primary()).put("currentRole", JsonShapes.word(c.primary().role())));
            n.set("mirror", c.mirror().map(m -> JsonShapes.location(m).put("currentRole", JsonShapes.word(m.role())))
                    .orElse(null));
        }
    }
}
