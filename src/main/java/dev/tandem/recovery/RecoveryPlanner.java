package dev.tandem.recovery;

import dev.tandem.catalog.PlaceConflicts;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Catalog + request → plan, with no I/O (ARCHITECTURE.md, "Recovery"). Every contradiction is collected and
 * reported at once, each with its recover-config line when there is one, before anything is touched.
 *
 * <p>{@code primariesDown} are the dbids of acting primaries a probe found unreachable: recovering their content's
 * mirror is impossible (a double fault), since there is nothing to copy or rewind from.
 */
public final class RecoveryPlanner {

    private RecoveryPlanner() {
    }

    public static RecoveryPlan plan(List<Segment> catalog, RecoveryRequest request, Set<Integer> primariesDown) {
        return plan(catalog, request, primariesDown, SparePlacement.Availability.ALL_FREE);
    }

    /** {@code free} says which ports and directories on spare hosts ({@code -p}) are free beyond the catalog. */
    public static RecoveryPlan plan(List<Segment> catalog, RecoveryRequest request, Set<Integer> primariesDown,
                                    SparePlacement.Availability free) {
        if (!request.spareHosts().isEmpty()) request = SparePlacement.request(catalog, request, free);
        List<String> problems = new ArrayList<>();
        List<Candidate> candidates = request.config().isPresent()
                ? fromConfig(catalog, request, problems)
                : fromCatalog(catalog, request);
        checkTargets(catalog, request, candidates, problems);
        List<SegmentRecovery> out = new ArrayList<>();
        for (Candidate c : candidates) {
            String where = c.where(request);
            Optional<Segment> source = catalog.stream()
                    .filter(s -> s.content() == c.failed.content() && s.isPrimary()).findFirst();
            if (source.isEmpty() || source.get().dbid() == c.failed.dbid()) {
                problems.add(where + c.failed.subject() + " " + c.failed.location() + " has no acting primary to "
                        + "recover from");
                continue;
            }
            Segment p = source.get();
            if (p.status() == Status.DOWN || primariesDown.contains(p.dbid())) {
                problems.add(where + c.failed.subject() + " cannot be recovered: its acting primary dbid " + p.dbid()
                        + " at " + p.location() + " is down too (double fault); content " + p.content()
                        + " is unavailable until that primary is brought back");
                continue;
            }
            out.add(recovery(c, p));
        }
        if (!problems.isEmpty()) {
            throw new RecoverConfigException("cannot plan the recovery (nothing was changed)", problems);
        }
        return new RecoveryPlan(out);
    }

    /** One failed instance and what the request says about it, before the source is known. */
    private record Candidate(Segment failed, Place target, String targetHostname, RecoveryType type, String why,
                             int line) {
        String where(RecoveryRequest r) {
            return line > 0 ? r.configName() + ":" + line + ": " : "";
        }
    }

    private static List<Candidate> fromCatalog(List<Segment> catalog, RecoveryRequest request) {
        List<Candidate> out = new ArrayList<>();
        for (Segment s : catalog) {
            if (s.content() < 0 || s.status() != Status.DOWN) continue;
            out.add(new Candidate(s, Place.of(s), s.hostname(), request.defaultType(),
                    whyType(request.defaultType(), false), 0));
        }
        return out;
    }

    private static List<Candidate> fromConfig(List<Segment> catalog, RecoveryRequest request, List<String> problems) {
        List<Candidate> out = new ArrayList<>();
        Map<Integer, Integer> lineOfDbid = new HashMap<>();
        for (RecoverConfig.Entry e : request.config().orElseThrow().entries()) {
            String where = e.line() > 0 ? request.configName() + ":" + e.line() + ": " : request.configName() + ": ";
            Optional<Segment> row = catalog.stream().filter(e.failed()::matches).findFirst();
            if (row.isEmpty()) {
                problems.add(where + "no instance at " + e.failed().text() + " in gp_segment_configuration");
                continue;
            }
            Segment s = row.get();
            if (s.content() < 0) {
                problems.add(where + e.failed().text() + " is the " + (s.isPrimary() ? "coordinator" : "standby coordinator")
                        + ": recoverseg recovers segment instances only");
                continue;
            }
            if (s.status() != Status.DOWN) {
                problems.add(where + s.subject() + " " + e.failed().text() + " is up: only instances marked down (d) "
                        + "are recovered");
                continue;
            }
            if (e.failedHostname().isPresent() && !e.failedHostname().get().equals(s.hostname())) {
                problems.add(where + s.subject() + " " + e.failed().text() + " has hostname " + s.hostname()
                        + " in gp_segment_configuration, not " + e.failedHostname().get());
                continue;
            }
            Integer earlier = lineOfDbid.putIfAbsent(s.dbid(), e.line());
            if (earlier != null) {
                problems.add(where + s.subject() + " " + e.failed().text() + " is already listed on line " + earlier);
                continue;
            }
            RecoveryType type = e.target().isPresent() ? RecoveryType.FULL : e.type().orElse(request.defaultType());
            String why = e.target().isPresent() ? "recovery to a new place is always full"
                    : e.samePlaceTwice() ? "the line names its place twice: a full recovery in place"
                    : whyType(type, e.type().isPresent());
            // a new place's hostname: the line's (Greenplum 7's form), else its address, as before that form
            String hostname = e.target().isEmpty() ? s.hostname()
                    : e.targetHostname().orElse(e.target().get().address().equals(s.address()) ? s.hostname()
                    : e.target().get().address());
            out.add(new Candidate(s, e.target().orElse(Place.of(s)), hostname, type, why, e.line()));
        }
        return out;
    }

    private static String whyType(RecoveryType type, boolean fromLine) {
        if (fromLine) return "type given on the line";
        return switch (type) {
            case INCREMENTAL -> "incremental (the default)";
            case DIFFERENTIAL -> "--differential requested";
            case FULL -> "-F requested";
        };
    }

    /**
     * New places must pass the placement rule ({@link PlaceConflicts}: port, directory, nesting) against the catalog
     * and each other, and not put a mirror on its primary's host. On the paths as written; the run checks them again
     * as the hosts resolve them (RecoveryPrechecks). An instance's own old place is no conflict.
     */
    private static void checkTargets(List<Segment> catalog, RecoveryRequest request, List<Candidate> candidates,
                                     List<String> problems) {
        List<PlaceConflicts.Occupant> newPlaces = new ArrayList<>();
        for (Candidate c : List.copyOf(candidates)) {
            if (c.target.equals(Place.of(c.failed))) continue;
            String where = c.where(request) + "new place " + c.target.text() + ": ";
            List<PlaceConflicts.Occupant> others = new ArrayList<>();
            catalog.stream().filter(o -> o.dbid() != c.failed.dbid()).forEach(o -> others.add(PlaceConflicts.Occupant.of(o)));
            others.addAll(newPlaces);
            Path dir = Path.of(c.target.datadir());
            PlaceConflicts.Occupant me = new PlaceConflicts.Occupant(c.targetHostname, c.target.address(),
                    c.target.port(), dir, dir, "the new place " + (c.line > 0 ? "on line " + c.line + " " : "")
                    + "for " + PlaceConflicts.describe(c.failed));
            List<String> mine = new ArrayList<>();
            PlaceConflicts.conflicts(me, others).forEach(m -> mine.add(where + m));
            for (Segment other : catalog) {
                if (other.content() == c.failed.content() && other.isPrimary()
                        && (other.address().equals(c.target.address()) || other.hostname().equals(c.targetHostname))) {
                    mine.add(where + "it is on " + c.target.address() + ", the host of its own primary "
                            + other.subject() + ": a mirror must be on another host");
                }
            }
            newPlaces.add(me);
            if (!mine.isEmpty()) {
                problems.addAll(mine);
                candidates.remove(c);
            }
        }
    }

    private static SegmentRecovery recovery(Candidate c, Segment source) {
        List<Step> steps = switch (c.type) {
            case FULL -> fullSteps(c.failed, source, c.target);
            case DIFFERENTIAL -> differentialSteps(source, c.target);
            case INCREMENTAL -> incrementalSteps(source, c.target);
        };
        return new SegmentRecovery(c.failed, source, c.target, c.type, c.why, c.line, steps, c.targetHostname);
    }

    static List<Step> incrementalSteps(Segment source, Place target) {
        return List.of(new Step.CheckSlot(source), new Step.StopIfRunning(target),
                new Step.RewindIfDiverged(source, target), new Step.ConfigureMirror(source, target),
                new Step.Start(target));
    }

    /** In place only (a new place is always full); a lost slot is replaced before the backup starts. */
    static List<Step> differentialSteps(Segment source, Place target) {
        return List.of(new Step.StopIfRunning(target), new Step.EnsureSlot(source),
                new Step.SyncChangedFiles(source, target), new Step.ConfigureMirror(source, target),
                new Step.Start(target));
    }

    static List<Step> fullSteps(Segment failed, Segment source, Place target) {
        Place old = Place.of(failed);
        List<Step> steps = new ArrayList<>();
        steps.add(new Step.StopIfRunning(old));
        // a new place was checked empty before the run: never remove a directory the operator named as new
        if (old.equals(target)) steps.add(new Step.RemoveDataDirectory(target));
        if (!old.address().equals(target.address())) steps.add(new Step.AllowHost(source, target.address()));
        steps.add(new Step.EnsureSlot(source));
        steps.add(new Step.BaseBackup(source, target));
        steps.add(new Step.ConfigureMirror(source, target));
        if (!old.equals(target)) steps.add(new Step.MoveInCatalog(old, target));
        steps.add(new Step.Start(target));
        return steps;
    }
}
