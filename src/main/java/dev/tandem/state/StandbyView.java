package dev.tandem.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.catalog.Segment;
import dev.tandem.instance.WalSender;
import dev.tandem.state.InstanceObservation.Reachable;
import java.util.List;

/**
 * gpstate -f: the standby coordinator. Exit 1 when there is none or it is down, not streaming or lagging:
 * the question this view answers is whether the coordinator is protected.
 */
final class StandbyView implements ViewRenderer {

    @Override
    public List<Finding> problems(ClusterHealth h) {
        return h.standby().problem().stream().toList();
    }

    @Override
    public void text(ClusterHealth h, TextLines out) {
        StandbyHealth sb = h.standby();
        if (sb.standby().isEmpty()) {
            out.info("Standby coordinator instance not configured");
        } else {
            Segment s = sb.standby().get();
            boolean bad = sb.problem().isPresent();
            out.info("Standby coordinator details").info("-".repeat(22));
            out.keyValues("   ", new KeyValues().add("Standby address", s.address())
                    .add("Standby data directory", s.datadir()).add("Standby port", s.port())
                    .add("Standby PID", h.observation(s) instanceof Reachable r && r.pid().isPresent()
                            ? r.pid().getAsInt() : "Not available", h.observation(s) instanceof InstanceObservation.Unreachable)
                    .add("Standby status", sb.state(), bad));
        }
        out.wideRule().info("-pg_stat_replication").wideRule();
        if (sb.sender().isEmpty()) {
            out.info("No entries found.");
        } else {
            WalSender w = sb.sender().get();
            out.info("-WAL Sender State: " + w.state().pg()).info("-Sync state: " + w.syncState().pg())
                    .info("-Sent Location: " + w.sentLsn()).info("-Flush Location: " + w.flushLsn())
                    .info("-Replay Location: " + w.replayLsn())
                    // Tandem's lines, after gpstate's and in their shape
                    .info("-Replay lag: " + w.replayLag().map(Quantities::seconds).orElse("Unknown"))
                    .info("-Bytes behind (flush): " + (sb.bytesBehind().isPresent()
                            ? Quantities.bytes(sb.bytesBehind().getAsLong()) : "Unknown"));
        }
        out.wideRule();
        sb.problem().ifPresent(f -> out.warn(f.message()));
    }

    @Override
    public void json(ClusterHealth h, ObjectNode out) {
        StandbyHealth sb = h.standby();
        if (sb.standby().isEmpty()) {
            out.putNull("standby");
            return;
        }
        Segment s = sb.standby().get();
        ObjectNode n = JsonShapes.location(s);
        if (h.observation(s) instanceof Reachable r && r.pid().isPresent()) n.put("pid", r.pid().getAsInt());
        else n.putNull("pid");
        n.put("state", sb.state());
        if (sb.sender().isPresent()) {
            ObjectNode rep = JsonShapes.walSender(sb.sender().get());
            JsonShapes.number(rep, "bytesBehind", sb.bytesBehind());
            n.set("replication", rep);
        } else {
            n.putNull("replication");
        }
        out.set("standby", n);
    }
}
