package dev.tandem.state;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.OptionalLong;

/**
 * The witnesses' part of {@code tandem state}: every witness in the summary, those needing attention under
 * {@code -e}. A witness is not a segment instance: it never changes the exit code (the pair goes on without it, as
 * before witnesses existed), it is shown.
 */
final class WitnessesSection {

    private WitnessesSection() {
    }

    static void text(List<WitnessState> witnesses, TextLines out, String title) {
        if (witnesses.isEmpty()) return;
        TextTable t = new TextTable("Content", "Witness host", "Directory", "Status", "Streaming", "Bytes behind");
        for (WitnessState w : witnesses) {
            OptionalLong behind = w.bytesBehind();
            String[] cells = {Integer.toString(w.witness().content()), w.witness().hostname(), w.witness().dir(),
                    w.witness().isUp() ? "up" : "down", w.seen(),
                    behind.isPresent() ? Long.toString(behind.getAsLong()) : "Unknown"};
            // a row, never a WARNING line: a view exits 1 exactly when it prints a warning, and a witness is not one
            t.row(cells);
        }
        out.info(title).table("   ", t).rule();
    }

    static void json(List<WitnessState> witnesses, ObjectNode out) {
        ArrayNode a = out.putArray("witnesses");
        for (WitnessState w : witnesses) {
            ObjectNode n = a.addObject().put("content", w.witness().content()).put("hostname", w.witness().hostname())
                    .put("address", w.witness().address()).put("dir", w.witness().dir())
                    .put("status", w.witness().isUp() ? "up" : "down").put("slot", w.witness().slot())
                    .put("catalogFlushLsn", w.witness().flushLsn().toString());
            if (w.sender().isPresent()) n.set("walSender", JsonShapes.walSender(w.sender().get()));
            else n.putNull("walSender");
            JsonShapes.lsn(n, "primaryLsn", w.primaryLsn());
            JsonShapes.number(n, "bytesBehind", w.bytesBehind());
            if (w.unreachable().isPresent()) n.put("primaryUnreachable", w.unreachable().get());
            else n.putNull("primaryUnreachable");
        }
    }
}
