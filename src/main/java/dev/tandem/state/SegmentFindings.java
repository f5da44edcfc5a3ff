package dev.tandem.state;

import static dev.tandem.state.ClusterHealth.hostPort;

import dev.tandem.catalog.Segment;
import dev.tandem.catalog.SegmentPair;
import dev.tandem.query.PartialCommit;
import dev.tandem.query.ServerDrift;
import dev.tandem.state.InstanceObservation.Unreachable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Walks the pairs once and lists what is wrong, in a stable order (content, then kind). */
final class SegmentFindings {

    private final ClusterHealth h;

    SegmentFindings(ClusterHealth h) {
        this.h = h;
    }

    List<Finding> all() {
        List<Finding> out = new ArrayList<>();
        for (SegmentPair p : h.pairs()) pair(p, out);
        for (ServerDrift d : h.report().serverDrift()) out.add(Finding.of(Finding.Kind.SERVER_DRIFT, d.primary(), d.message()));
        for (PartialCommit p : h.report().partialCommits()) {
            out.add(new Finding(Finding.Kind.PARTIAL_COMMIT, p.committedOn().isEmpty() ? -1 : p.committedOn().get(0),
                    Optional.empty(), p.message()));
        }
        h.standby().problem().ifPresent(out::add);
        return List.copyOf(out);
    }

    private void pair(SegmentPair p, List<Finding> out) {
        Segment primary = p.primary();
        if (p.rolesSwitched()) {
            out.add(Finding.of(Finding.Kind.ROLES_SWITCHED, primary, "content " + p.content()
                    + ": roles switched, " + hostPort(primary) + " (configured as mirror) is acting as primary"));
        }
        if (p.mirror().isPresent() && !ClusterHealth.synced(p)) {
            out.add(Finding.of(Finding.Kind.NOT_IN_SYNC, primary, "content " + p.content() + ": primary "
                    + hostPort(primary) + " and mirror " + hostPort(p.mirror().get()) + " are not in sync"));
        }
        instance(primary, out);
        p.mirror().ifPresent(m -> instance(m, out));
        if (h.unreachable(primary) && (p.mirror().isEmpty() || !ClusterHealth.synced(p))) {
            out.add(Finding.of(Finding.Kind.CONTENT_UNAVAILABLE, primary, "content " + p.content()
                    + " is unavailable: its primary is unreachable and "
                    + (p.mirror().isEmpty() ? "it has no mirror" : "its mirror was not in sync (double fault)")));
        }
    }

    private void instance(Segment s, List<Finding> out) {
        String who = "content " + s.content() + ": " + (s.isPrimary() ? "primary " : "mirror ") + hostPort(s)
                + " (dbid " + s.dbid() + ")";
        if (!s.isUp()) {
            out.add(Finding.of(Finding.Kind.DOWN, s, who + " is down in the configuration"));
        } else if (h.observation(s) instanceof Unreachable u) {
            out.add(Finding.of(Finding.Kind.UNREACHABLE, s, who + " is unreachable: " + u.reason()));
        }
        h.recovery(s.dbid()).ifPresent(r -> out.add(Finding.of(Finding.Kind.IN_RECOVERY, s,
                who + " is in " + r.type().word() + " recovery, " + r.percent() + "% done")));
    }
}
