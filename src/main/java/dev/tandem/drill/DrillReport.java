package dev.tandem.drill;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/** Everything a drill found, and whether every check passed. */
public record DrillReport(long seed, int faultsRequested, List<FaultOutcome> faults, long acked, long indeterminate,
                          long writerErrors, long reads, Map<Integer, Integer> lostOnPrimary,
                          Map<Integer, Integer> lostOnMirror, List<Integer> mirrorsNotCaughtUp,
                          List<ReadAnomaly> readAnomalies, List<Ack> acksByNonPrimary, List<DualWindow> dualWindows,
                          boolean finalWhole, boolean finalBalanced, String finalState, int historyRows,
                          int primaryChanges, List<UnrecordedChange> unrecorded, Map<Integer, Long> longestGapNanos,
                          int recoversegRuns, int rebalances, double seconds, CoordinatorWrites coordinator,
                          ServerCheck servers) {

    public long lost() {
        return lostOnPrimary.values().stream().mapToLong(Integer::longValue).sum()
                + lostOnMirror.values().stream().mapToLong(Integer::longValue).sum();
    }

    public long splitBrainWindows() {
        return dualWindows.stream().filter(DualWindow::splitBrain).count();
    }

    public long crashRestartsTakenForDeaths() {
        return faults.stream().filter(FaultOutcome::failedOverOnCrashRestart).count();
    }

    public long notRecovered() {
        return faults.stream().filter(f -> f.recoveredNanos().isEmpty()).count();
    }

    /** Every check, by name: true when it passed. */
    public Map<String, Boolean> checks() {
        Map<String, Boolean> c = new java.util.LinkedHashMap<>();
        c.put("no acknowledged commit lost (final read of every primary and mirror)", lost() == 0 && mirrorsNotCaughtUp.isEmpty());
        c.put("no acknowledged commit missing while running (readers)", readAnomalies.isEmpty());
        c.put("no acknowledged commit through the coordinator lost (read through the coordinator, on every primary "
                + "and mirror)", coordinator.passed() && mirrorsNotCaughtUp.isEmpty());
        c.put("every segment server named its content's acting primary (every catalog sample and at the end)",
                servers.passed());
        c.put("no acknowledgement by an instance the catalog did not name primary", acksByNonPrimary.isEmpty());
        c.put("never two instances of a content able to acknowledge at once", splitBrainWindows() == 0);
        c.put("every pair (u,s)/(u,s) at the end", finalWhole);
        c.put("every pair in its preferred role at the end", finalBalanced);
        c.put("every catalog change has its history row", unrecorded.isEmpty());
        c.put("no crash-restart taken for a death", crashRestartsTakenForDeaths() == 0);
        c.put("every fault recovered from", notRecovered() == 0);
        return c;
    }

    public boolean passed() {
        return checks().values().stream().allMatch(Boolean::booleanValue);
    }

    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "tandem drill: seed %d, %d of %d faults injected, %.0f s%n", seed,
                faults.size(), faultsRequested, seconds));
        sb.append(String.format(Locale.ROOT, "%nfaults by kind                   count   recover p50   recover max%n"));
        Map<FaultKind, List<Long>> times = new EnumMap<>(FaultKind.class);
        Map<FaultKind, Integer> counts = new EnumMap<>(FaultKind.class);
        for (FaultOutcome f : faults) {
            counts.merge(f.fault().kind(), 1, Integer::sum);
            OptionalLong t = f.recoveryNanos();
            if (t.isPresent()) times.computeIfAbsent(f.fault().kind(), k -> new ArrayList<>()).add(t.getAsLong());
        }
        List<Long> all = new ArrayList<>();
        for (var e : counts.entrySet()) {
            List<Long> ts = times.getOrDefault(e.getKey(), List.of());
            all.addAll(ts);
            sb.append(String.format(Locale.ROOT, "  %-28s %6d   %11s   %11s%n", e.getKey().label(), e.getValue(),
                    secs(percentile(ts, 50)), secs(percentile(ts, 100))));
        }
        sb.append(String.format(Locale.ROOT, "  %-28s %6d   %11s   %11s%n", "all", faults.size(), secs(percentile(all, 50)),
                secs(percentile(all, 100))));
        sb.append("  (time to recover: fault injected -> every pair (u,s)/(u,s), every instance and FTS running, held 3 s)\n");
        sb.append(String.format(Locale.ROOT, "%nworkload: %d commits acknowledged, %d outcomes unknown (statement failed), "
                + "%d client errors, %d reader checks%n", acked, indeterminate, writerErrors, reads));
        sb.append(String.format(Locale.ROOT, "lost acknowledged commits: %d (primaries %s, mirrors %s%s)%n", lost(),
                lostOnPrimary, lostOnMirror, mirrorsNotCaughtUp.isEmpty() ? "" : ", mirrors not caught up: " + mirrorsNotCaughtUp));
        sb.append(String.format(Locale.ROOT, "through the coordinator: %d commits acknowledged, %d outcomes unknown, "
                + "%d client errors, %d rows misrouted%n", coordinator.acked(), coordinator.indeterminate(),
                coordinator.errors(), coordinator.misrouted()));
        sb.append(String.format(Locale.ROOT, "lost acknowledged commits through the coordinator: %d (read through the "
                + "coordinator %d, primaries %s, mirrors %s)%n", coordinator.lost(), coordinator.lostThroughCoordinator(),
                new TreeMap<>(coordinator.lostOnPrimary()), new TreeMap<>(coordinator.lostOnMirror())));
        sb.append(String.format(Locale.ROOT, "segment servers (invariant 7): %s at %d catalog samples, %s at the end%n",
                servers.sightings().isEmpty() ? "held" : servers.sightings().size() + " sightings of a drift",
                servers.samples(), servers.atEnd().isEmpty() ? "held" : servers.atEnd().size() + " drifting"));
        for (DriftSighting d : servers.sightings().stream().limit(5).toList()) {
            sb.append(String.format(Locale.ROOT, "  %.3f-%.3f s (%d samples): %s%n", d.fromSeconds(), d.toSeconds(),
                    d.samples(), d.message()));
        }
        servers.atEnd().forEach(d -> sb.append("  at the end: ").append(d.message()).append('\n'));
        sb.append(String.format(Locale.ROOT, "reader anomalies: %d%n", readAnomalies.size()));
        for (ReadAnomaly a : readAnomalies.stream().limit(5).toList()) {
            sb.append("  content ").append(a.content()).append(" dbid ").append(a.dbid()).append(": missing ")
                    .append(a.missing().stream().limit(10).toList()).append(a.unexpectedMaxId() > 0 ? ", unexpected id " + a.unexpectedMaxId() : "").append('\n');
        }
        sb.append(String.format(Locale.ROOT, "split brain: %d acknowledgements by a non-primary, %d windows with two "
                + "instances able to acknowledge (%d ms in all)%n", acksByNonPrimary.size(), splitBrainWindows(),
                dualWindows.stream().filter(DualWindow::splitBrain).mapToLong(w -> (w.toNanos() - w.fromNanos()) / 1_000_000).sum()));
        for (Ack a : acksByNonPrimary.stream().limit(5).toList()) {
            sb.append("  content ").append(a.content()).append(" id ").append(a.id()).append(" acknowledged by dbid ")
                    .append(a.dbid()).append('\n');
        }
        long harmless = dualWindows.size() - splitBrainWindows();
        sb.append(String.format(Locale.ROOT, "  (%d windows where a demoted primary was out of recovery but blocked by "
                + "synchronous replication until fenced)%n", harmless));
        sb.append(String.format(Locale.ROOT, "catalog: %d history rows, %d primary changes seen, %d changes without history%n",
                historyRows, primaryChanges, unrecorded.size()));
        for (UnrecordedChange u : unrecorded.stream().limit(5).toList()) {
            sb.append("  dbid ").append(u.dbid()).append(": ").append(u.before()).append(" -> ").append(u.after()).append('\n');
        }
        sb.append(String.format(Locale.ROOT, "crash-restarts taken for deaths: %d; faults not recovered from: %d%n",
                crashRestartsTakenForDeaths(), notRecovered()));
        sb.append(String.format(Locale.ROOT, "operator: %d recoverseg runs, %d rebalances%n", recoversegRuns, rebalances));
        sb.append("final state: ").append(finalState).append('\n');
        sb.append("unavailability (longest gap without an acknowledgement):\n  direct to the primary  ");
        new TreeMap<>(longestGapNanos).forEach((c, g) -> sb.append(String.format(Locale.ROOT, "  content %d %s", c, secs(g))));
        sb.append("\n  through the coordinator");
        new TreeMap<>(coordinator.longestGapNanos()).forEach((c, g) ->
                sb.append(String.format(Locale.ROOT, "  content %d %s", c, secs(g))));
        sb.append("\n\nchecks:\n");
        checks().forEach((name, ok) -> sb.append("  ").append(ok ? "PASS  " : "FAIL  ").append(name).append('\n'));
        sb.append(passed() ? "DRILL PASSED\n" : "DRILL FAILED\n");
        return sb.toString();
    }

    static Long percentile(List<Long> values, int p) {
        if (values.isEmpty()) return null;
        List<Long> s = values.stream().sorted().toList();
        int i = (int) Math.ceil(p / 100.0 * s.size()) - 1;
        return s.get(Math.max(0, Math.min(s.size() - 1, i)));
    }

    private static String secs(Long nanos) {
        return nanos == null ? "-" : String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }
}
