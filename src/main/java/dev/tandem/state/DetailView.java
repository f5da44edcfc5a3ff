package dev.tandem.state;

import dev.tandem.recovery.RecoveryProgress;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.SegmentPair;
import dev.tandem.instance.WalSender;
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
        boolean dispatch = h.observation(c) instanceof Reachable r && !r.inRecovery();
        KeyValues kv = new KeyValues().add("Coordinator host", c.hostname())
                .add("Coordinator postgres process ID", pid(h, c))
                .add("Coordinator data directory", c.datadir())
                .add("Coordinator port", c.port())
                .add("Coordinator current role", dispatch ? "dispatch" : "utility");
        if (h.observation(c) instanceof Reachable r && r.serverVersion().isPresent()) {
            kv.add("Postgres version", postgresVersion(r.serverVersion().get()));
        }
        if (h.observation(c) instanceof Reachable r && r.currentLsn().isPresent()) {
            kv.add("Coordinator current WAL location", r.currentLsn().get());
        }
        kv.add("Coordinator standby", sb.standby().map(Segment::hostname).orElse("No coordinator standby configured"));
        if (sb.standby().isPresent()) {
            kv.add("Standby coordinator state", sb.state(), sb.problem().isPresent());
        }
        out.rule().info("-Coordinator Configuration & Status").rule().keyValues("   ", kv);
        out.rule().info("Segment Instance Status Report");
        List<KeyValues> blocks = h.instances().stream().map(s -> instance(h, s)).toList();
        int width = blocks.stream().flatMap(b -> b.entries().stream()).filter(e -> !e.heading())
                .mapToInt(e -> e.key().length()).max().orElse(0);
        boolean flagged = kv.entries().stream().anyMatch(KeyValues.Entry::flagged);
        for (KeyValues b : blocks) {
            out.rule().keyValues("   ", width, b);
            flagged |= b.entries().stream().anyMatch(KeyValues.Entry::flagged);
        }
        List<Finding> problems = problems(h);
        for (Finding f : problems) out.warn(f.message());
        ErrorsView.unavailableWarning(h, out);
        if (flagged || !problems.isEmpty()) {
            out.warn(STARS).warn("Warnings have been generated during status processing")
                    .warn("Check log file or review screen output").warn(STARS);
        }
    }

    /** gpstate's "Postgres version = 12.12": the number, without a packager's suffix ("15.8 (Debian ...)"). */
    static String postgresVersion(String serverVersion) {
        String v = serverVersion.strip();
        int space = v.indexOf(' ');
        return space < 0 ? v : v.substring(0, space);
    }

    static final String STARS = "*".repeat(53);

    /** One instance as gpstate -s shows it; Tandem's rows (content, dbid, sync state, lag, recovery) after its. */
    private static KeyValues instance(ClusterHealth h, Segment s) {
        Optional<SegmentPair> pair = h.pairs().stream().filter(p -> p.content() == s.content()).findFirst();
        boolean mirrored = pair.isPresent() && pair.get().mirror().isPresent();
        Optional<WalSender> sender = pair.filter(p -> p.mirror().isPresent())
                .flatMap(p -> h.observation(p.primary()) instanceof Reachable r ? r.walSender() : Optional.empty());
        KeyValues kv = new KeyValues().heading("Segment Info")
                .add("Hostname", s.hostname()).add("Address", s.address())
                .add("Datadir", s.datadir()).add("Port", s.port())
                .add("Content", s.content()).add("DBID", s.dbid())
                .heading("Mirroring Info")
                .add("Current role", title(s.role().name()))
                .add("Preferred role", title(s.preferredRole().name()), !s.inPreferredRole());
        if (!mirrored) kv.add("Mirror status", "No mirror");
        else if (s.isMirror() && sender.isPresent()) kv.add("Mirror status", replicationState(sender.get()));
        else kv.add("Mirror status", mirrorStatus(s), s.mode() != Mode.SYNCED);
        boolean primaryProbed = pair.isPresent()
                && !(h.observation(pair.get().primary()) instanceof InstanceObservation.NotContacted);
        if (mirrored && s.isMirror() && primaryProbed) mirrorReplication(sender, kv);
        if (mirrored && s.isPrimary() && h.observation(s) instanceof Reachable r) primaryReplication(r, kv);
        kv.heading("Status").add("PID", pid(h, s))
                .add("Configuration reports status as", s.isUp() ? "Up" : "Down", !s.isUp());
        String status = segmentStatus(h, s);
        kv.add(s.isMirror() ? "Segment status" : "Database status", status, !status.equals("Up")
                && !(h.observation(s) instanceof InstanceObservation.NotContacted));
        h.recovery(s.dbid()).ifPresent(rp -> kv.heading("Recovery")
                .add("Recovery type", rp.type().word(), true)
                .add("Completed", Quantities.bytes(rp.completedBytes()) + " of " + Quantities.bytes(rp.totalBytes())
                        + " (" + rp.percent() + "%)", true));
        return kv;
    }

    /** gpstate's word for the walsender state: "Streaming", "Catchup"; a base backup is a copy in progress. */
    static String replicationState(WalSender w) {
        return w.state() == WalSender.State.BACKUP ? "Copying files from primary" : title(w.state().name());
    }

    /** Under the mirror, as gpstate places them, the positions its primary's walsender reports for it. */
    private static void mirrorReplication(Optional<WalSender> sender, KeyValues kv) {
        kv.heading("Replication Info");
        if (sender.isEmpty()) {
            for (String k : List.of("WAL Sent Location", "WAL Flush Location", "WAL Replay Location",
                    "Bytes received but remain to flush", "Bytes received but remain to replay")) {
                kv.add(k, "Unknown", true);
            }
            return;
        }
        WalSender w = sender.get();
        kv.add("WAL Sent Location", w.sentLsn()).add("WAL Flush Location", w.flushLsn())
                .add("WAL Replay Location", w.replayLsn())
                .add("Bytes received but remain to flush", w.sentLsn().bytesAfter(w.flushLsn()))
                .add("Bytes received but remain to replay", w.sentLsn().bytesAfter(w.replayLsn()))
                .add("Sync state", w.syncState().pg())
                .add("Replay lag", w.replayLag().map(Quantities::seconds).orElse("Unknown"));
    }

    private static void primaryReplication(Reachable r, KeyValues kv) {
        kv.heading("Replication Info");
        kv.add("Current write location", r.currentLsn().map(Object::toString).orElse("Unknown"),
                r.currentLsn().isEmpty());
        if (r.currentLsn().isPresent() && r.walSender().isPresent()) {
            kv.add("Bytes remaining to send to mirror", r.currentLsn().get().bytesAfter(r.walSender().get().sentLsn()));
        } else {
            kv.add("Bytes remaining to send to mirror", "Unknown", true);
        }
    }

    /** "Up", or why not: down in the catalog, the probe's reason, a primary in recovery. */
    private static String segmentStatus(ClusterHealth h, Segment s) {
        if (!s.isUp()) return "Down in configuration";
        return switch (h.observation(s)) {
            case Reachable r -> r.inRecovery() && s.isPrimary() ? "Up (in recovery)" : "Up";
            case InstanceObservation.Unreachable u -> "Unreachable: " + u.reason();
            case InstanceObservation.NotContacted n -> "Not checked (quick mode)";
        };
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
