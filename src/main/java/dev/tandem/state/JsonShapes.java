package dev.tandem.state;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.catalog.Lsn;
import dev.tandem.catalog.Segment;
import dev.tandem.instance.WalSender;
import dev.tandem.state.InstanceObservation.NotContacted;
import dev.tandem.state.InstanceObservation.Reachable;
import dev.tandem.state.InstanceObservation.Unreachable;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/** The JSON pieces several views share; docs/state-json.md describes them. Absent values are JSON null. */
final class JsonShapes {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private JsonShapes() {
    }

    static ObjectNode finding(Finding f) {
        ObjectNode n = F.objectNode().put("kind", f.kind().jsonName()).put("content", f.content());
        if (f.instance().isPresent()) n.put("dbid", f.instance().get().dbid());
        else n.putNull("dbid");
        return n.put("message", f.message());
    }

    /** Where an instance is: dbid, content, hostname, address, port, datadir. */
    static ObjectNode location(Segment s) {
        return F.objectNode().put("dbid", s.dbid()).put("content", s.content()).put("hostname", s.hostname())
                .put("address", s.address()).put("port", s.port()).put("datadir", s.datadir());
    }

    /** Location plus the catalog's columns and the probe. */
    static ObjectNode instance(Segment s, InstanceObservation o) {
        ObjectNode n = location(s);
        n.put("role", word(s.role())).put("preferredRole", word(s.preferredRole()))
                .put("mode", s.mode() == dev.tandem.catalog.Mode.SYNCED ? "synced" : "not_synced")
                .put("status", s.isUp() ? "up" : "down");
        n.set("probe", probe(o));
        return n;
    }

    static ObjectNode probe(InstanceObservation o) {
        ObjectNode n = F.objectNode();
        switch (o) {
            case Reachable r -> {
                n.put("result", "reachable");
                number(n, "pid", r.pid());
                n.put("inRecovery", r.inRecovery());
                lsn(n, "currentLsn", r.currentLsn());
                lsn(n, "receiveLsn", r.receiveLsn());
                lsn(n, "replayLsn", r.replayLsn());
                if (r.walSender().isPresent()) n.set("walSender", walSender(r.walSender().get()));
                else n.putNull("walSender");
            }
            case Unreachable u -> n.put("result", "unreachable").put("reason", u.reason());
            case NotContacted c -> n.put("result", "not_contacted");
        }
        return n;
    }

    static ObjectNode walSender(WalSender w) {
        ObjectNode n = F.objectNode().put("state", w.state().pg()).put("syncState", w.syncState().pg())
                .put("sentLsn", w.sentLsn().toString()).put("flushLsn", w.flushLsn().toString())
                .put("replayLsn", w.replayLsn().toString());
        seconds(n, "replayLagSeconds", w.replayLag());
        return n;
    }

    static ObjectNode catchUp(CatchUp c) {
        ObjectNode n = F.objectNode().put("bytesBehind", c.bytesBehind());
        number(n, "rateBytesPerSecond", c.rateBytesPerSecond());
        seconds(n, "estimatedSeconds", c.estimatedTime());
        return n;
    }

    static String word(dev.tandem.catalog.Role r) {
        return r.name().toLowerCase(Locale.ROOT);
    }

    static void lsn(ObjectNode n, String field, Optional<Lsn> lsn) {
        if (lsn.isPresent()) n.put(field, lsn.get().toString());
        else n.putNull(field);
    }

    static void number(ObjectNode n, String field, OptionalLong v) {
        if (v.isPresent()) n.put(field, v.getAsLong());
        else n.putNull(field);
    }

    static void number(ObjectNode n, String field, java.util.OptionalInt v) {
        if (v.isPresent()) n.put(field, v.getAsInt());
        else n.putNull(field);
    }

    static void number(ObjectNode n, String field, OptionalDouble v) {
        // rounded so that the JSON of equal reports is byte-for-byte equal
        if (v.isPresent()) n.put(field, Math.round(v.getAsDouble()));
        else n.putNull(field);
    }

    static void seconds(ObjectNode n, String field, Optional<Duration> d) {
        if (d.isPresent()) n.put(field, d.get().toMillis() / 1000.0);
        else n.putNull(field);
    }
}
