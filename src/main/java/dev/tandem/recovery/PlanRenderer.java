package dev.tandem.recovery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;

/** The plan as text (what {@code --dry-run} and the confirmation prompt show) or as JSON. */
public final class PlanRenderer {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PlanRenderer() {
    }

    public static String text(RecoveryPlan plan) {
        if (plan.isEmpty()) return "No instance is marked down (d): nothing to recover.\n";
        StringBuilder sb = new StringBuilder("Recovery plan: " + plan.recoveries().size()
                + (plan.recoveries().size() == 1 ? " instance" : " instances") + "\n");
        int i = 1;
        for (SegmentRecovery r : plan.recoveries()) {
            sb.append(String.format("%d. content %d, dbid %d: %s recovery (%s)%n", i++, r.failed().content(),
                    r.failed().dbid(), r.type().word(), r.why()));
            sb.append("   failed : ").append(Place.of(r.failed()).text()).append('\n');
            if (r.relocates()) sb.append("   target : ").append(r.target().text()).append('\n');
            sb.append("   source : ").append(Place.of(r.source()).text()).append(" (acting primary, dbid ")
                    .append(r.source().dbid()).append(")\n");
            int j = 1;
            for (Step s : r.steps()) sb.append("   ").append(j++).append(") ").append(s.describe()).append('\n');
        }
        return sb.toString();
    }

    public static String json(RecoveryPlan plan) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("recoveries");
        for (SegmentRecovery r : plan.recoveries()) {
            ObjectNode n = list.addObject();
            n.put("content", r.failed().content()).put("dbid", r.failed().dbid()).put("type", r.type().word())
                    .put("why", r.why());
            if (r.line() > 0) n.put("configLine", r.line());
            place(n.putObject("failed"), Place.of(r.failed()));
            place(n.putObject("target"), r.target());
            place(n.putObject("source"), Place.of(r.source())).put("dbid", r.source().dbid());
            ArrayNode steps = n.putArray("steps");
            for (Step s : r.steps()) steps.addObject().put("step", s.name()).put("description", s.describe());
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode place(ObjectNode n, Place p) {
        return n.put("address", p.address()).put("port", p.port()).put("datadir", p.datadir());
    }
}
