package dev.tandem.rebalance;

import dev.tandem.catalog.Segment;
import java.util.List;

/**
 * What a rebalance (or a single switchover) will do: pairs to switch, demoted primaries to re-attach (left behind
 * by an interrupted switchover), and pairs skipped with the reason.
 */
public record RebalancePlan(List<Switch> switches, List<Reattach> reattaches, List<Skip> skipped) {

    public RebalancePlan {
        switches = List.copyOf(switches);
        reattaches = List.copyOf(reattaches);
        skipped = List.copyOf(skipped);
    }

    /** Make {@code to} (now the mirror) the primary and {@code from} (now the primary) its mirror. */
    public record Switch(int content, Segment from, Segment to, long replayLagBytes) {
    }

    /** {@code mirror} was demoted by a switchover that did not finish: restart it as {@code primary}'s mirror. */
    public record Reattach(int content, Segment primary, Segment mirror) {
    }

    public record Skip(int content, String reason) {
    }

    public boolean isEmpty() {
        return switches.isEmpty() && reattaches.isEmpty();
    }

    public String render() {
        StringBuilder sb = new StringBuilder();
        for (Switch s : switches) {
            sb.append(String.format("content %d: switch over: primary %s:%d (dbid %d) -> %s:%d (dbid %d), replay lag %d bytes%n",
                    s.content(), s.from().address(), s.from().port(), s.from().dbid(), s.to().address(), s.to().port(),
                    s.to().dbid(), s.replayLagBytes()));
        }
        for (Reattach r : reattaches) {
            sb.append(String.format("content %d: re-attach %s:%d (dbid %d) as mirror of %s:%d (finishing an interrupted switchover)%n",
                    r.content(), r.mirror().address(), r.mirror().port(), r.mirror().dbid(), r.primary().address(),
                    r.primary().port()));
        }
        for (Skip s : skipped) sb.append(String.format("content %d: skipped: %s%n", s.content(), s.reason()));
        if (isEmpty() && skipped.isEmpty()) sb.append("every pair is in its preferred role: nothing to do\n");
        return sb.toString();
    }
}
