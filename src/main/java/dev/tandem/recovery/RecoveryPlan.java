package dev.tandem.recovery;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a recovery will do, per failed instance; empty when nothing is marked down. */
public record RecoveryPlan(List<SegmentRecovery> recoveries) {

    public RecoveryPlan {
        recoveries = List.copyOf(recoveries);
    }

    public boolean isEmpty() {
        return recoveries.isEmpty();
    }

    /** Recoveries grouped by target host, in plan order. */
    public Map<String, List<SegmentRecovery>> byHost() {
        Map<String, List<SegmentRecovery>> out = new LinkedHashMap<>();
        for (SegmentRecovery r : recoveries) {
            out.computeIfAbsent(r.host(), h -> new java.util.ArrayList<>()).add(r);
        }
        return out;
    }
}
