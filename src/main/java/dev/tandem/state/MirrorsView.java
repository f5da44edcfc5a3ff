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

    /** gpstate -m and -c open with the same heading. */
    static void heading(ClusterHealth h, TextLines out) {
        out.wideRule().info("-Current GPDB mirror list and status")
                .info("-Type = " + h.report().mirroringType().title()).wideRule();
    }

    @Override
    public void text(ClusterHealth h, TextLines out) {
        List<Segment> mirrors = mirrors(h);
        if (mirrors.isEmpty()) {
            out.warn(TextLines.WIDE_RULE).warn("Mirror not used").warn(TextLines.WIDE_RULE);
            return;
        }
        heading(h, out);
        TextTable t = new TextTable("Mirror", "Datadir", "Port", "Status", "Data Status");
        long acting = 0, failed = 0, actingUnsynced = 0;
        for (Segment s : mirrors) {
            String status = status(h, s);
            String[] cells = {s.hostname(), s.datadir(), Integer.toString(s.port()), status, dataStatus(s)};
            if (status.equals("Failed")) {
                failed++;
                cells[4] = "";
                t.flaggedRow(cells);
                continue;
            }
            // a mirror acting as primary is counted below, its row stays at INFO (as in gpstate)
            if (s.isPrimary()) {
                acting++;
                if (!synced(s)) actingUnsynced++;
            }
            t.row(cells);
        }
        out.table("   ", t).wideRule();
        if (acting > 0) out.warn(acting + " segment(s) configured as mirror(s) are acting as primaries");
        if (failed > 0) out.warn(failed + " segment(s) configured as mirror(s) have failed");
        if (actingUnsynced > 0) {
            out.warn(actingUnsynced + " mirror segment(s) acting as primaries are not synchronized");
        }
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
