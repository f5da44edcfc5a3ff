package dev.tandem.state;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import java.util.List;

/**
 * gpstate -m: the instances configured as mirrors. Exit 1, as in Greenplum, when one acts as primary or has
 * failed; a mirror still catching up is reported but is -e's business.
 */
final class MirrorsView implements ViewRenderer {

    @Override
    public List<Finding> problems(ClusterHealth h) {
        return h.segmentFindings().stream()
                .filter(f -> f.instance().filter(s -> s.preferredRole() == Role.MIRROR).isPresent())
                .filter(f -> switch (f.kind()) {
                    case ROLES_SWITCHED, DOWN, UNREACHABLE -> true;
                    default -> false;
                })
                .toList();
    }

    private static List<Segment> mirrors(ClusterHealth h) {
        return h.instances().stream().filter(s -> s.preferredRole() == Role.MIRROR).toList();
    }

    static String status(ClusterHealth h, Segment s) {
        if (h.failed(s)) return "Failed";
        return s.isPrimary() ? "Acting as Primary" : "Passive";
    }

    @Override
    public void text(ClusterHealth h, TextLines out) {
        String wide = TextLines.RULE + "---------";
        out.info(wide).info("-Current mirror list and status")
                .info("-Type = " + h.report().mirroringType().title()).info(wide);
        List<Segment> mirrors = mirrors(h);
        if (mirrors.isEmpty()) {
            out.info("Mirrors are not configured");
            return;
        }
        TextTable t = new TextTable("Mirror", "Datadir", "Port", "Status", "Data Status");
        long acting = 0, failed = 0, unsynced = 0;
        for (Segment s : mirrors) {
            String status = status(h, s);
            boolean bad = !status.equals("Passive");
            if (status.equals("Failed")) failed++;
            else if (bad) acting++;
            else if (!synced(s)) unsynced++;
            String[] cells = {s.hostname(), s.datadir(), Integer.toString(s.port()), status, dataStatus(s)};
            if (bad) t.flaggedRow(cells);
            else t.row(cells);
        }
        out.table("   ", t).info(wide);
        if (acting > 0) out.warn(acting + " segment(s) configured as mirror(s) are acting as primaries");
        if (failed > 0) out.warn(failed + " segment(s) configured as mirror(s) have failed");
        if (unsynced > 0) out.info(unsynced + " mirror segment(s) acting as mirrors are not synchronized");
    }

    private static boolean synced(Segment s) {
        return s.mode() == dev.tandem.catalog.Mode.SYNCED;
    }

    private static String dataStatus(Segment s) {
        return DetailView.mirrorStatus(s);
    }

    @Override
    public void json(ClusterHealth h, ObjectNode out) {
        out.put("mirroringType", h.report().mirroringType().name().toLowerCase(java.util.Locale.ROOT));
        ArrayNode list = out.putArray("mirrors");
        for (Segment s : mirrors(h)) {
            list.add(JsonShapes.location(s)
                    .put("status", status(h, s).toLowerCase(java.util.Locale.ROOT).replace(' ', '_'))
                    .put("dataStatus", synced(s) ? "synchronized" : "not_in_sync"));
        }
    }
}
