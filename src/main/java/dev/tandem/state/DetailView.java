package dev.tandem.state;

import dev.tandem.recovery.RecoveryProgress;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Segment;
import dev.tandem.state.InstanceObservation.Reachable;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** gpstate -s: every instance in detail. Same exit rule as the brief view; the problem lines are warnings. */
final class DetailView implements ViewRenderer {

    @Override
    public List<Finding> problems(ClusterHealth h) {
        return h.clusterFindings();
    }

    @Override
    public void text(ClusterHealth h, TextLines out) {
        Segment c = h.coordinator();
        StandbyHealth sb = h.standby();
        KeyValues kv = new KeyValues().add("Coordinator host", c.hostname())
                .add("Coordinator postgres process ID", pid(h, c))
                .add("Coordinator data directory", c.datadir())
                .add("Coordinator port", c.port());
        if (h.observation(c) instanceof Reachable r && r.currentLsn().isPresent()) {
            kv.add("Coordinator current WAL location", r.currentLsn().get());
        }
        kv.add("Coordinator standby", sb.standby().map(Segment::hostname).orElse("No standby coordinator configured"))
                .add("Standby coordinator state", sb.state(), sb.problem().isPresent()
                        && sb.problem().get().kind() != Finding.Kind.STANDBY_NOT_CONFIGURED);
        out.rule().info("-Coordinator Configuration & Status").rule().keyValues("   ", kv);
        out.rule().info("-Segment Instance Status Report").rule();
        for (Segment s : h.instances()) {
            out.keyValues("   ", instance(h, s)).rule();
        }
        for (Finding f : problems(h)) out.warn(f.message());
    }

    private static KeyValues instance(ClusterHealth h, Segment s) {
        KeyValues kv = new KeyValues().heading("Segment Info")
                .add("Content", s.content()).add("DBID", s.dbid())
                .add("Hostname", s.hostname()).add("Address", s.address())
                .add("Datadir", s.datadir()).add("Port", s.port())
                .heading("Mirroring Info")
                .add("Current role", title(s.role().name()))
                .add("Preferred role", title(s.preferredRole().name()), !s.inPreferredRole());
        boolean mirrored = h.pairs().stream().anyMatch(p -> p.content() == s.content() && p.mirror().isPresent());
        kv.add("Mirror status", mirrored ? mirrorStatus(s) : "No mirror", mirrored && s.mode() != Mode.SYNCED);
        if (h.observation(s) instanceof Reachable r) replication(r, kv);
        kv.heading("Status").add("PID", pid(h, s))
                .add("Configuration reports status as", s.isUp() ? "Up" : "Down", !s.isUp())
                .add("Database status", h.databaseStatus(s), h.unreachable(s));
        h.recovery(s.dbid()).ifPresent(rp -> kv.heading("Recovery")
                .add("Recovery type", rp.type().word(), true)
                .add("Completed", Quantities.bytes(rp.completedBytes()) + " of " + Quantities.bytes(rp.totalBytes())
                        + " (" + rp.percent() + "%)", true));
        return kv;
    }

    private static void replication(Reachable r, KeyValues kv) {
        kv.heading("Replication Info");
        r.currentLsn().ifPresent(l -> kv.add("WAL current location", l));
        r.receiveLsn().ifPresent(l -> kv.add("WAL receive location", l));
        r.replayLsn().ifPresent(l -> kv.add("WAL replay location", l));
        r.walSender().ifPresent(w -> kv.add("WAL sender state", w.state().pg()).add("Sync state", w.syncState().pg())
                .add("WAL sent location (to mirror)", w.sentLsn())
                .add("WAL flush location (on mirror)", w.flushLsn())
                .add("WAL replay location (on mirror)", w.replayLsn())
                .add("Replay lag", w.replayLag().map(Quantities::seconds).orElse("Unknown")));
        if (!r.inRecovery() && r.walSender().isEmpty()) kv.add("WAL sender state", "No mirror connected");
    }

    static String mirrorStatus(Segment s) {
        return s.mode() == Mode.SYNCED ? "Synchronized" : "Not In Sync";
    }

    private static String pid(ClusterHealth h, Segment s) {
        return h.observation(s) instanceof Reachable r && r.pid().isPresent()
                ? Integer.toString(r.pid().getAsInt()) : "Not available";
    }

    static String title(String enumName) {
        return enumName.charAt(0) + enumName.substring(1).toLowerCase(Locale.ROOT);
    }

    @Override
    public void json(ClusterHealth h, ObjectNode out) {
        out.set("coordinator", JsonShapes.instance(h.coordinator(), h.observation(h.coordinator())));
        Optional<Segment> sb = h.standby().standby();
        if (sb.isPresent()) out.set("standby", JsonShapes.instance(sb.get(), h.observation(sb.get())));
        else out.putNull("standby");
        out.put("standbyState", h.standby().state());
        ArrayNode list = out.putArray("instances");
        for (Segment s : h.instances()) {
            ObjectNode n = JsonShapes.instance(s, h.observation(s));
            n.put("mirrorStatus", s.mode() == Mode.SYNCED ? "synchronized" : "not_in_sync");
            n.put("databaseStatus", h.databaseStatus(s));
            Optional<RecoveryProgress> rp = h.recovery(s.dbid());
            if (rp.isPresent()) n.set("recovery", ErrorsView.recoveryJson(rp.get()));
            else n.putNull("recovery");
            list.add(n);
        }
    }
}
