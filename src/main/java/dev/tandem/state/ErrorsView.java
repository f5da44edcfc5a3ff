package dev.tandem.state;

import dev.tandem.recovery.RecoveryProgress;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.SegmentPair;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** gpstate -e: only what needs attention, in Greenplum's sections. Exit 1 when any section has a row. */
final class ErrorsView implements ViewRenderer {

    @Override
    public List<Finding> problems(ClusterHealth h) {
        return h.segmentFindings();
    }

    @Override
    public void text(ClusterHealth h, TextLines out) {
        out.rule().info("Segment Mirroring Status Report");
        List<WitnessState> witnesses = h.report().witnesses().stream().filter(WitnessState::needsAttention).toList();
        if (problems(h).isEmpty()) {
            out.rule().info("All segments are running normally");
            if (!witnesses.isEmpty()) out.rule();
            WitnessesSection.text(witnesses, out, "Witnesses down or not streaming");
            return;
        }
        // rows at INFO without markers, as gpstate -e prints them: awk '{print $NF}' reads the last column
        section(out, "Segments with Primary and Mirror Roles Switched", switched(h));
        section(out, "Unsynchronized Segment Pairs", unsynchronized(h, out.wide()));
        section(out, "Downed Segments (may include segments where status could not be retrieved)", downed(h));
        section(out, "Segments in recovery", recovering(h));
        for (Finding f : of(h, Finding.Kind.CONTENT_UNAVAILABLE)) out.warn(f.message());
        for (Finding f : of(h, Finding.Kind.SERVER_DRIFT)) out.warn(f.message());
        for (Finding f : of(h, Finding.Kind.PARTIAL_COMMIT)) out.warn(f.message());
        if (!witnesses.isEmpty()) out.rule();
        WitnessesSection.text(witnesses, out, "Witnesses down or not streaming");
        unavailableWarning(h, out);
    }

    /** gpstate's banner when some content has no usable instance (a double fault). */
    static void unavailableWarning(ClusterHealth h, TextLines out) {
        if (of(h, Finding.Kind.CONTENT_UNAVAILABLE).isEmpty()) return;
        out.warn(DetailView.STARS).warn("DATABASE IS PROBABLY UNAVAILABLE")
                .warn("Review Instance Status in log file or screen output for more information")
                .warn(DetailView.STARS);
    }

    private static void section(TextLines out, String title, TextTable t) {
        if (t.isEmpty()) return;
        out.rule().info(title).table("   ", t);
    }

    private static TextTable switched(ClusterHealth h) {
        TextTable t = new TextTable("Current Primary", "Port", "Mirror", "Port");
        for (SegmentPair p : h.pairs()) {
            if (!p.rolesSwitched()) continue;
            Segment m = p.mirror().orElse(null);
            t.row(p.primary().hostname(), port(p.primary()), m == null ? "-" : m.hostname(),
                    m == null ? "-" : port(m));
        }
        return t;
    }

    /** Greenplum's five columns; with {@code wide}, Tandem's catch-up rate and estimate after them. */
    private static TextTable unsynchronized(ClusterHealth h, boolean wide) {
        TextTable t = wide ? new TextTable("Current Primary", "Port", "WAL sync remaining bytes", "Mirror", "Port",
                "Catch-up rate", "Estimated time")
                : new TextTable("Current Primary", "Port", "WAL sync remaining bytes", "Mirror", "Port");
        for (SegmentPair p : h.pairs()) {
            if (p.mirror().isEmpty() || ClusterHealth.synced(p)) continue;
            Segment m = p.mirror().get();
            OptionalLong remaining = h.walSyncRemaining(p);
            String bytes = remaining.isPresent() && !h.failed(m) ? Long.toString(remaining.getAsLong()) : "Unknown";
            if (!wide) {
                t.row(p.primary().hostname(), port(p.primary()), bytes, m.hostname(), port(m));
                continue;
            }
            String rate = "Unknown";
            String eta = "Unknown";
            Optional<CatchUp> c = h.catchUp(p.content());
            Optional<RecoveryProgress> rp = h.recovery(m.dbid());
            if (rp.isPresent()) {
                rate = "-";
                eta = "In recovery (" + rp.get().percent() + "%)";
            } else if (h.failed(m)) {
                rate = "-";
                eta = "Mirror down";
            } else if (c.isPresent() && c.get().rateBytesPerSecond().isPresent()) {
                rate = Quantities.rate(c.get().rateBytesPerSecond().getAsDouble());
                eta = c.get().estimatedTime().map(Quantities::duration).orElse("Not catching up");
            }
            t.row(p.primary().hostname(), port(p.primary()), bytes, m.hostname(), port(m), rate, eta);
        }
        return t;
    }

    private static TextTable downed(ClusterHealth h) {
        TextTable t = new TextTable("Segment", "Port", "Config status", "Status");
        for (Finding f : h.segmentFindings()) {
            if (f.kind() != Finding.Kind.DOWN && f.kind() != Finding.Kind.UNREACHABLE) continue;
            Segment s = f.instance().orElseThrow();
            t.row(s.hostname(), port(s), s.isUp() ? "Up" : "Down",
                    s.isUp() ? h.databaseStatus(s) : "Down in configuration");
        }
        return t;
    }

    private static TextTable recovering(ClusterHealth h) {
        TextTable t = new TextTable("Segment", "Port", "Recovery type", "Completed bytes (kB)", "Total bytes (kB)",
                "Percentage completed");
        for (RecoveryProgress r : h.report().recoveries()) {
            Segment s = h.byDbid(r.dbid()).orElse(null);
            if (s == null) continue;
            t.row(s.hostname(), port(s), r.type().word(), Quantities.kilobytes(r.completedBytes()),
                    Quantities.kilobytes(r.totalBytes()), r.percent() + "%");
        }
        return t;
    }

    private static List<Finding> of(ClusterHealth h, Finding.Kind kind) {
        return h.segmentFindings().stream().filter(f -> f.kind() == kind).toList();
    }

    private static String port(Segment s) {
        return Integer.toString(s.port());
    }

    @Override
    public void json(ClusterHealth h, ObjectNode out) {
        ArrayNode switched = out.putArray("rolesSwitched");
        ArrayNode unsynced = out.putArray("unsynchronized");
        for (SegmentPair p : h.pairs()) {
            if (p.rolesSwitched()) pairJson(switched.addObject(), p);
            if (p.mirror().isEmpty() || ClusterHealth.synced(p)) continue;
            ObjectNode n = pairJson(unsynced.addObject(), p);
            JsonShapes.number(n, "walSyncRemainingBytes", h.walSyncRemaining(p));
            Optional<CatchUp> c = h.catchUp(p.content());
            if (c.isPresent()) n.set("catchUp", JsonShapes.catchUp(c.get()));
            else n.putNull("catchUp");
        }
        ArrayNode down = out.putArray("down");
        for (Finding f : h.segmentFindings()) {
            if (f.kind() != Finding.Kind.DOWN && f.kind() != Finding.Kind.UNREACHABLE) continue;
            Segment s = f.instance().orElseThrow();
            ObjectNode n = JsonShapes.location(s).put("configStatus", s.isUp() ? "up" : "down")
                    .put("status", s.isUp() ? "unreachable" : "down_in_configuration");
            if (h.observation(s) instanceof InstanceObservation.Unreachable u) n.put("reason", u.reason());
            else n.putNull("reason");
            down.add(n);
        }
        ArrayNode rec = out.putArray("inRecovery");
        for (RecoveryProgress r : h.report().recoveries()) {
            h.byDbid(r.dbid()).ifPresent(s -> rec.add(JsonShapes.location(s).setAll(recoveryJson(r))));
        }
        ArrayNode unavailable = out.putArray("unavailableContents");
        for (Finding f : of(h, Finding.Kind.CONTENT_UNAVAILABLE)) unavailable.add(f.content());
        WitnessesSection.json(h.report().witnesses().stream().filter(WitnessState::needsAttention).toList(), out);
    }

    private static ObjectNode pairJson(ObjectNode n, SegmentPair p) {
        n.put("content", p.content());
        n.set("primary", JsonShapes.location(p.primary()));
        n.set("mirror", p.mirror().map(JsonShapes::location).orElse(null));
        return n;
    }

    static ObjectNode recoveryJson(RecoveryProgress r) {
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                .put("type", r.type().word()).put("completedBytes", r.completedBytes())
                .put("totalBytes", r.totalBytes()).put("percent", r.percent());
    }
}
