package dev.tandem.rebalance;

import dev.tandem.catalog.Segment;
import dev.tandem.catalog.SegmentPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Pure: which pairs a rebalance (or a switchover of one content) switches, re-attaches or skips, and why. */
public final class RebalancePlanner {

    private RebalancePlanner() {
    }

    /**
     * @param replayLag     content → bytes the mirror's replay is behind its primary (absent: unknown)
     * @param lagLimit      the replay-lag guard in bytes; empty when disabled
     * @param only          a single content to switch over regardless of preferred roles (tandem switchover)
     * @param unfinished    content → dbid demoted by a switchover that did not finish (its journal row)
     */
    public static RebalancePlan plan(List<Segment> config, Map<Integer, Long> replayLag, OptionalLong lagLimit,
                                     OptionalInt only, Map<Integer, Integer> unfinished) {
        List<RebalancePlan.Switch> switches = new ArrayList<>();
        List<RebalancePlan.Reattach> reattaches = new ArrayList<>();
        List<RebalancePlan.Skip> skipped = new ArrayList<>();
        for (SegmentPair pair : SegmentPair.of(config)) {
            int content = pair.content();
            if (only.isPresent() && only.getAsInt() != content) continue;
            if (pair.mirror().isEmpty()) {
                if (only.isPresent()) skipped.add(new RebalancePlan.Skip(content, "no mirror"));
                continue;
            }
            Segment p = pair.primary();
            Segment m = pair.mirror().get();
            // a run that died after stopping the old primary: whatever FTS did since, it is the mirror now
            if (Integer.valueOf(m.dbid()).equals(unfinished.get(content)) && !pair.inSync()) {
                reattaches.add(new RebalancePlan.Reattach(content, p, m));
                continue;
            }
            if (only.isEmpty() && p.inPreferredRole()) continue;
            if (!pair.inSync()) {
                skipped.add(new RebalancePlan.Skip(content, "pair not up and in sync (primary " + p.status().code() + ","
                        + p.mode().code() + " / mirror " + m.status().code() + "," + m.mode().code() + "); recover it first"));
                continue;
            }
            Long lag = replayLag.get(content);
            if (lag == null) {
                skipped.add(new RebalancePlan.Skip(content, "replay lag unknown: mirror " + m.address() + ":" + m.port()
                        + " did not answer"));
                continue;
            }
            if (lagLimit.isPresent() && lag > lagLimit.getAsLong()) {
                skipped.add(new RebalancePlan.Skip(content, "mirror replay is " + lag + " bytes behind, over the replay-lag "
                        + "guard of " + lagLimit.getAsLong() + " bytes (--replay-lag, or --disable-replay-lag)"));
                continue;
            }
            switches.add(new RebalancePlan.Switch(content, p, m, lag));
        }
        if (only.isPresent() && switches.isEmpty() && reattaches.isEmpty() && skipped.isEmpty()) {
            skipped.add(new RebalancePlan.Skip(only.getAsInt(), "no such content"));
        }
        return new RebalancePlan(switches, reattaches, skipped);
    }
}
