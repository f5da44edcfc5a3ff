package dev.tandem.recovery;

import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.DataRoots;
import dev.tandem.cluster.ListeningPorts;
import dev.tandem.cluster.PlaceCheck;
import dev.tandem.host.HostException;
import dev.tandem.host.PlaceGuard;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Everything a recovery checks on the hosts before it changes anything, in one place so that the real run,
 * {@code --dry-run} and {@code -o} refuse the same plans with the same words: no system path; a new place free (no
 * listener on its port, its directory absent or empty); a directory recovered in place under the cluster's directories
 * (DataRoots), and, when it is to be removed or rsynced over, a data directory of the OS user; and the placement rule ({@link PlaceCheck}) for every target, against
 * the catalog and the run's other new places. Reads only.
 */
final class RecoveryPrechecks {

    private RecoveryPrechecks() {
    }

    static List<String> problems(Cluster cluster, List<Segment> catalog, RecoveryPlan plan, RecoveryRequest request,
                                 Function<String, ListeningPorts> listening) {
        List<String> problems = new ArrayList<>();
        Map<String, ListeningPorts> ports = new TreeMap<>();
        List<PlaceCheck.Candidate> candidates = new ArrayList<>();
        for (SegmentRecovery r : plan.recoveries()) {
            Place t = r.target();
            String where = r.line() > 0 ? request.configName() + ":" + r.line() + ": " : "";
            String label = where + (r.relocates() ? "new place " + t.text() : r.failed().subject() + " at " + t.text());
            Path dir = Path.of(t.datadir());
            try {
                PlaceGuard.refuseSystemPath(dir);
            } catch (HostException e) {
                problems.add(label + ": " + e.getMessage());
                continue;
            }
            candidates.add(new PlaceCheck.Candidate(SegmentRecoverer.targetSegment(r), label));
            if (r.relocates()) {
                if (!cluster.files().absentOrEmptyDir(t.address(), dir)) {
                    problems.add(label + ": data directory " + t.datadir() + " on " + t.address() + " exists and is not "
                            + "empty (a partial copy from an interrupted run must be removed by hand)");
                }
                if (ports.computeIfAbsent(t.address(), listening).taken(java.util.Set.of(t.address()), t.port())) {
                    problems.add(label + ": port " + t.port() + " on " + t.address() + " is already in use");
                }
                continue;
            }
            String what = switch (r.type()) {
                case FULL -> "remove";
                case DIFFERENTIAL -> "rsync over and hand to the OS user";
                // a rewind writes there, and a fallback to full removes it
                case INCREMENTAL -> "rewind in place (or remove, should it fall back to full)";
            };
            if (r.type() != RecoveryType.INCREMENTAL) {
                try {
                    cluster.files().requireReplaceable(t.address(), dir);
                } catch (HostException e) {
                    problems.add(label + ": " + e.getMessage());
                    continue;
                }
            }
            DataRoots.refusal(cluster, t.address(), dir, what).ifPresent(m -> problems.add(label + ": " + m));
        }
        problems.addAll(new PlaceCheck(cluster.files()).conflicts(catalog, candidates));
        return problems;
    }
}
