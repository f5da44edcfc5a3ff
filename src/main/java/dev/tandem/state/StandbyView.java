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
        out.info("Standby coordinator details").rule();
        if (sb.standby().isEmpty()) {
            out.warn("No standby coordinator configured");
            return;
        }
        Segment s = sb.standby().get();
        boolean bad = sb.problem().isPresent();
        out.keyValues("   ", new KeyValues().add("Standby address", s.address())
                .add("Standby data directory", s.datadir()).add("Standby port", s.port())
                .add("Standby PID", h.observation(s) instanceof Reachable r && r.pid().isPresent()
                        ? r.pid().getAsInt() : "Not available")
                .add("Standby status", sb.state(), bad));
        out.rule().info("-pg_stat_replication").rule();
        if (sb.sender().isEmpty()) {
            out.info("   No WAL sender for the standby on the coordinator");
        } else {
            WalSender w = sb.sender().get();
            out.keyValues("   ", new KeyValues().add("WAL Sender State", w.state().pg())
                    .add("Sync state", w.syncState().pg())
                    .add("Sent Location", w.sentLsn())
                    .add("Flush Location", w.flushLsn())
                    .add("Replay Location", w.replayLsn())
                    .add("Replay lag", w.replayLag().map(Quantities::seconds).orElse("Unknown"))
                    .add("Bytes behind (flush)", sb.bytesBehind().isPresent()
                            ? Quantities.bytes(sb.bytesBehind().getAsLong()) : "Unknown"));
        }
        out.rule();
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
