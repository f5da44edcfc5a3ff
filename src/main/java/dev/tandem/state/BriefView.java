package dev.tandem.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.tandem.fts.FtsControl;
import java.util.function.Predicate;

/** gpstate -b (the default): counts and one summary line. Exit 1 when anything at all needs attention. */
final class BriefView implements ViewRenderer {

    /** The longest key below, so that the three blocks line up as one. */
    private static final int KEY_WIDTH = "Total number mirror segments acting as primary segments".length();

    @Override
    public List<Finding> problems(ClusterHealth h) {
        return h.clusterFindings();
    }

    @Override
    public void text(ClusterHealth h, TextLines out) {
        Counts c = new Counts(h);
        StandbyHealth sb = h.standby();
        boolean standbyBad = sb.problem().filter(f -> f.kind() != Finding.Kind.STANDBY_NOT_CONFIGURED).isPresent();
        out.info("Greenplum instance status summary").rule();
        out.keyValues("   ", KEY_WIDTH, new KeyValues()
                .add("Coordinator instance", "Active")
                .add("Coordinator standby", sb.standby().map(Segment::hostname)
                        .orElse("No coordinator standby configured"))
                .add(sb.standby().isPresent(), "Standby coordinator state", sb.state(), standbyBad)
                .add("Total segment instance count from metadata", h.instances().size())
                // information, not a finding: a cluster may run without a daemon
                .add("FTS daemon", ftsDaemon(h)));
        out.rule();
        for (Role role : List.of(Role.PRIMARY, Role.MIRROR)) {
            String word = role == Role.PRIMARY ? "primary" : "mirror";
            out.info("   " + DetailView.title(role.name()) + " Segment Status").rule();
            Configured g = new Configured(h, role);
            if (g.total == 0) {
                out.info("   Mirrors not configured on this array").rule();
                continue;
            }
            KeyValues kv = new KeyValues()
                    .add("Total " + word + " segments", g.total)
                    .add("Total " + word + " segment valid (at coordinator)", g.up)
                    .add("Total " + word + " segment failures (at coordinator)", g.down, g.down > 0);
            processRows(h, g, kv);
            kv.add("Total " + word + " segments unreachable (probe)", probed(h, g.unreachable), g.unreachable > 0);
            if (role == Role.MIRROR) {
                kv.add("Total number mirror segments acting as primary segments", g.acting, g.acting > 0)
                        .add("Total number mirror segments acting as mirror segments", g.total - g.acting)
                        .add("Total segment pairs in sync", c.inSync)
                        .add("Total segment pairs not in sync", c.notInSync, c.notInSync > 0);
            }
            out.keyValues("   ", KEY_WIDTH, kv).rule();
        }
        WitnessesSection.text(h.report().witnesses(), out, "   Witnesses (log only)");
        List<Finding> problems = problems(h);
        if (problems.isEmpty()) out.info(allWell(h));
        else out.warn(summary(problems));
    }

    /**
     * gpstate's file and process checks. Tandem reads them from the probe: an instance that answers has its
     * postmaster.pid, its PID and its process; one that does not counts as missing all of them, as gpstate counts
     * a host it cannot reach. Instances listen on TCP only (no socket in /tmp), so the lock-file rows count
     * running postmasters: a healthy cluster reads "missing = 0" as on Greenplum.
     */
    private static void processRows(ClusterHealth h, Configured g, KeyValues kv) {
        if (!h.probed()) {
            kv.add("Postmaster files and processes", "not checked (quick mode)");
            return;
        }
        kv.add("Total number of postmaster.pid files missing", g.total - g.running, g.total > g.running)
                .add("Total number of postmaster.pid files found", g.running)
                .add("Total number of postmaster.pid PIDs missing", g.total - g.pids, g.total > g.pids)
                .add("Total number of postmaster.pid PIDs found", g.pids)
                .add("Total number of /tmp lock files missing", g.total - g.running, g.total > g.running)
                .add("Total number of /tmp lock files found", g.running)
                .add("Total number postmaster processes missing", g.total - g.running, g.total > g.running)
                .add("Total number postmaster processes found", g.running);
    }

    /** The instances configured (preferred) in one role, counted as gpstate -b counts them. */
    private static final class Configured {
        final long total, up, down, running, pids, unreachable, acting;

        Configured(ClusterHealth h, Role preferred) {
            List<Segment> segs = h.instances().stream().filter(s -> s.preferredRole() == preferred).toList();
            total = segs.size();
            up = segs.stream().filter(Segment::isUp).count();
            down = total - up;
            running = segs.stream().filter(s -> h.observation(s) instanceof InstanceObservation.Reachable).count();
            pids = segs.stream().filter(s -> h.observation(s) instanceof InstanceObservation.Reachable r
                    && r.pid().isPresent()).count();
            unreachable = segs.stream().filter(h::unreachable).count();
            acting = segs.stream().filter(s -> s.role() != preferred).count();
        }
    }

    @Override
    public void json(ClusterHealth h, ObjectNode out) {
        Counts c = new Counts(h);
        out.set("coordinator", JsonShapes.location(h.coordinator()));
        ObjectNode sb = out.putObject("standby");
        sb.put("configured", h.standby().standby().isPresent()).put("state", h.standby().state());
        out.put("probed", h.probed());
        ObjectNode p = out.putObject("primaries").put("total", c.primaries).put("up", c.primariesUp)
                .put("down", c.primariesDown);
        unreachable(h, p, c.primariesUnreachable);
        ObjectNode m = out.putObject("mirrors").put("total", c.mirrors).put("up", c.mirrorsUp)
                .put("down", c.mirrorsDown);
        unreachable(h, m, c.mirrorsUnreachable);
        m.put("actingAsPrimary", c.actingAsPrimary).put("actingAsMirror", c.actingAsMirror);
        Optional<FtsControl.DaemonStatus> fts = h.report().ftsDaemon();
        if (fts.isEmpty()) {
            out.putNull("ftsDaemon");
        } else {
            FtsControl.DaemonStatus d = fts.get();
            ObjectNode n = out.putObject("ftsDaemon").put("host", d.host());
            if (d.pid() == null) n.putNull("pid");
            else n.put("pid", d.pid());
            if (d.roundAgeSeconds() == null) n.putNull("lastRoundAgeSeconds");
            else n.put("lastRoundAgeSeconds", Math.round(d.roundAgeSeconds() * 1000) / 1000.0);
            n.put("probing", !ftsSilent(h)).put("httpUrl", d.httpUrl());
        }
        out.putObject("pairs").put("total", h.pairs().size()).put("inSync", c.inSync).put("notInSync", c.notInSync)
                .put("rolesSwitched", c.actingAsPrimary);
        WitnessesSection.json(h.report().witnesses(), out);
        List<Finding> problems = problems(h);
        out.put("summary", problems.isEmpty() ? allWell(h) : summary(problems));
    }

    /** A daemon that has finished no round for this long is not probing (as {@code tandem fts probe} says). */
    static final double SILENT_SECONDS = 10;

    /** Where the FTS daemon runs and how old its last round is, as it last reported itself. */
    static String ftsDaemon(ClusterHealth h) {
        return h.report().ftsDaemon().map(d -> {
            String who = "pid " + d.pid() + " on " + d.host();
            String http = d.httpUrl() == null ? "" : ", HTTP " + d.httpUrl();
            if (d.roundAgeSeconds() == null) return "no probe round finished yet (" + who + ")" + http;
            String age = String.format(java.util.Locale.ROOT, "%.1f s ago", d.roundAgeSeconds());
            return (d.roundAgeSeconds() > SILENT_SECONDS ? "not probing: last round " + age + " (" + who
                    + "; tandem fts status)" : "probing, " + who + ", last round " + age) + http;
        }).orElse("never ran a probe round (tandem fts start)");
    }

    static boolean ftsSilent(ClusterHealth h) {
        return h.report().ftsDaemon().map(d -> d.roundAgeSeconds() == null || d.roundAgeSeconds() > SILENT_SECONDS)
                .orElse(true);
    }

    private static void unreachable(ClusterHealth h, ObjectNode n, long count) {
        if (h.probed()) n.put("unreachable", count);
        else n.putNull("unreachable");
    }

    private static String probed(ClusterHealth h, long count) {
        return h.probed() ? Long.toString(count) : "not checked (quick mode)";
    }

    private static String allWell(ClusterHealth h) {
        return h.standby().standby().isPresent() ? "All segments and the standby coordinator are running normally"
                : "All segments are running normally (no standby coordinator configured)";
    }

    /** One line, the worst first: what is wrong, counted, and which view tells more. */
    static String summary(List<Finding> problems) {
        Map<Finding.Kind, Integer> n = new EnumMap<>(Finding.Kind.class);
        for (Finding f : problems) n.merge(f.kind(), 1, Integer::sum);
        StringBuilder b = new StringBuilder("Needs attention: ");
        String sep = "";
        for (Finding.Kind k : List.of(Finding.Kind.CONTENT_UNAVAILABLE, Finding.Kind.DOWN, Finding.Kind.UNREACHABLE,
                Finding.Kind.NOT_IN_SYNC, Finding.Kind.IN_RECOVERY, Finding.Kind.ROLES_SWITCHED,
                Finding.Kind.SERVER_DRIFT, Finding.Kind.PARTIAL_COMMIT)) {
            if (n.containsKey(k)) {
                b.append(sep).append(n.get(k)).append(' ').append(phrase(k));
                sep = ", ";
            }
        }
        List<Finding> standby = problems.stream().filter(f -> f.kind().aboutStandby()).toList();
        for (Finding f : standby) {
            b.append(sep).append(f.message());
            sep = ", ";
        }
        boolean segments = standby.size() < problems.size();
        b.append("; see `tandem state ").append(segments ? "-e" : "-f").append('`');
        if (segments && !standby.isEmpty()) b.append(" and `tandem state -f`");
        return b.toString();
    }

    private static String phrase(Finding.Kind k) {
        return switch (k) {
            case CONTENT_UNAVAILABLE -> "content(s) unavailable";
            case DOWN -> "instance(s) down";
            case UNREACHABLE -> "instance(s) unreachable";
            case NOT_IN_SYNC -> "pair(s) not in sync";
            case IN_RECOVERY -> "instance(s) in recovery";
            case ROLES_SWITCHED -> "pair(s) with roles switched";
            case SERVER_DRIFT -> "foreign server(s) not on the acting primary";
            case PARTIAL_COMMIT -> "transaction(s) committed on some segments only";
            default -> k.jsonName();
        };
    }

    private static final class Counts {
        final long primaries, primariesUp, primariesDown, primariesUnreachable;
        final long mirrors, mirrorsUp, mirrorsDown, mirrorsUnreachable;
        final long inSync, notInSync, actingAsPrimary, actingAsMirror;

        Counts(ClusterHealth h) {
            List<Segment> p = h.instances().stream().filter(Segment::isPrimary).toList();
            List<Segment> m = h.instances().stream().filter(Segment::isMirror).toList();
            primaries = p.size();
            primariesUp = count(p, Segment::isUp);
            primariesDown = primaries - primariesUp;
            primariesUnreachable = count(p, h::unreachable);
            mirrors = m.size();
            mirrorsUp = count(m, Segment::isUp);
            mirrorsDown = mirrors - mirrorsUp;
            mirrorsUnreachable = count(m, h::unreachable);
            inSync = h.pairs().stream().filter(ClusterHealth::synced).count();
            notInSync = h.pairs().stream().filter(x -> x.mirror().isPresent() && !ClusterHealth.synced(x)).count();
            List<Segment> configuredMirrors = h.instances().stream()
                    .filter(s -> s.preferredRole() == Role.MIRROR).toList();
            actingAsPrimary = count(configuredMirrors, Segment::isPrimary);
            actingAsMirror = count(configuredMirrors, Segment::isMirror);
        }

        private static long count(List<Segment> list, Predicate<Segment> p) {
            return list.stream().filter(p).count();
        }
    }
}
