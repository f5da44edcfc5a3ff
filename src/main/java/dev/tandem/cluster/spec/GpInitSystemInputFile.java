package dev.tandem.cluster.spec;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.cluster.ClusterSpec;
import dev.tandem.cluster.InstanceLocation;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.cluster.spec.ShellAssignments.Assignment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * gpinitsystem {@code -I}: an input configuration file, as {@code -O} writes it (Greenplum's and Tandem's), that
 * gives every instance explicitly: {@code QD_PRIMARY_ARRAY=host~address~port~datadir~dbid~content} and
 * {@code declare -a PRIMARY_ARRAY=(...)} / {@code MIRROR_ARRAY=(...)}, one instance per entry. The operator
 * reviews or edits the plan and then creates exactly it: the rows are taken as written, not re-planned.
 * Checked before anything is made, each problem named with its file and line: six fields, numbers that are numbers,
 * absolute data directories, every content 0..N-1 with one primary and at most one mirror (all or none mirrored), a
 * mirror on another host than its primary, no two instances on one host sharing a port or a data directory, dbids
 * unique, every data directory named {@code <prefix><content>} with one prefix (Tandem finds instances by it).
 */
public final class GpInitSystemInputFile {

    /** The rows to create and a spec that describes them (hosts, directories, ports) for what init derives from it. */
    public record Result(List<Segment> rows, ClusterSpec spec, List<String> warnings) {
        public Result {
            rows = List.copyOf(rows);
            warnings = List.copyOf(warnings);
        }
    }

    private static final Set<String> ARRAYS = Set.of("QD_PRIMARY_ARRAY", "PRIMARY_ARRAY", "MIRROR_ARRAY");

    private final Path file;
    private final String[] lines;

    private GpInitSystemInputFile(Path file, String text) {
        this.file = file;
        this.lines = text.split("\n", -1);
    }

    public static Result read(Path file, String osUser) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new SpecException(file, 0, "cannot read: " + e.getMessage(), e);
        }
        return new GpInitSystemInputFile(file, text).parse(ShellAssignments.read(file, text), osUser);
    }

    /** One array entry and the line it is on. */
    private record Entry(String text, int line) {
    }

    private Result parse(List<Assignment> assignments, String osUser) {
        Map<String, Assignment> arrays = new HashMap<>();
        List<String> warnings = new ArrayList<>();
        for (Assignment a : assignments) {
            if (!ARRAYS.contains(a.name())) {
                warnings.add(file + ":" + a.line() + ": " + a.name() + " is not used with -I (the instances come "
                        + "from the arrays; settings from -p, -m, -b)");
                continue;
            }
            Assignment earlier = arrays.put(a.name(), a);
            if (earlier != null) throw new SpecException(file, a.line(), a.name() + " is set twice (first at line "
                    + earlier.line() + ")");
        }
        Assignment qd = arrays.get("QD_PRIMARY_ARRAY");
        if (qd == null) throw new SpecException(file, 0, "no QD_PRIMARY_ARRAY: the coordinator is not given");
        Assignment primaries = arrays.get("PRIMARY_ARRAY");
        if (primaries == null || primaries.values().isEmpty()) {
            throw new SpecException(file, primaries == null ? 0 : primaries.line(), "no PRIMARY_ARRAY entries: "
                    + "a cluster needs at least one segment");
        }
        List<Entry> qdEntries = entries(qd);
        if (qdEntries.size() != 1) throw new SpecException(file, qd.line(), "QD_PRIMARY_ARRAY must give exactly one "
                + "instance, the coordinator (got " + qdEntries.size() + ")");

        List<Segment> rows = new ArrayList<>();
        Map<Integer, Integer> lineOf = new HashMap<>(); // dbid -> line
        Segment coordinator = row(qdEntries.get(0), Role.PRIMARY, Mode.NOT_SYNCED, lineOf);
        if (coordinator.content() != Segment.COORDINATOR_CONTENT) {
            throw new SpecException(file, qdEntries.get(0).line(), "the coordinator's content is -1, not "
                    + coordinator.content());
        }
        rows.add(coordinator);
        Assignment mirrorsArray = arrays.get("MIRROR_ARRAY");
        boolean mirrored = mirrorsArray != null && !mirrorsArray.values().isEmpty();
        Mode segmentMode = mirrored ? Mode.SYNCED : Mode.NOT_SYNCED;
        Map<Integer, Segment> primaryOf = new HashMap<>();
        for (Entry e : entries(primaries)) {
            Segment s = row(e, Role.PRIMARY, segmentMode, lineOf);
            if (s.content() < 0) throw new SpecException(file, e.line(), "a primary's content is 0 or more, not "
                    + s.content());
            Segment other = primaryOf.put(s.content(), s);
            if (other != null) throw new SpecException(file, e.line(), "content " + s.content()
                    + " has a second primary (the first at line " + lineOf.get(other.dbid()) + ")");
            rows.add(s);
        }
        for (int content = 0; content < primaryOf.size(); content++) {
            if (!primaryOf.containsKey(content)) throw new SpecException(file, primaries.line(), "contents must be "
                    + "0.." + (primaryOf.size() - 1) + " with no gap: content " + content + " has no primary");
        }
        Map<Integer, Segment> mirrorOf = new HashMap<>();
        if (mirrored) {
            for (Entry e : entries(mirrorsArray)) {
                Segment m = row(e, Role.MIRROR, Mode.SYNCED, lineOf);
                Segment p = primaryOf.get(m.content());
                if (p == null) throw new SpecException(file, e.line(), "mirror of content " + m.content()
                        + ", which has no primary");
                Segment other = mirrorOf.put(m.content(), m);
                if (other != null) throw new SpecException(file, e.line(), "content " + m.content()
                        + " has a second mirror (the first at line " + lineOf.get(other.dbid()) + ")");
                if (p.hostname().equals(m.hostname()) || p.address().equals(m.address())) {
                    throw new SpecException(file, e.line(), "the mirror of content " + m.content() + " is on its "
                            + "primary's host " + m.hostname() + " (line " + lineOf.get(p.dbid()) + "): a host loss "
                            + "would take both");
                }
                rows.add(m);
            }
            for (int content : primaryOf.keySet()) {
                if (!mirrorOf.containsKey(content)) throw new SpecException(file, mirrorsArray.line(), "content "
                        + content + " has no mirror: mirror every content, or none (no MIRROR_ARRAY)");
            }
        }
        distinct(rows, lineOf);
        String prefix = prefix(rows, lineOf);
        return new Result(rows, spec(rows, mirrored, prefix, osUser), warnings);
    }

    /** The entries of an array with their lines: found in order from the assignment's first line on. */
    private List<Entry> entries(Assignment a) {
        List<Entry> out = new ArrayList<>();
        int at = a.line() - 1;
        for (String v : a.values()) {
            int found = at;
            while (found < lines.length && !lines[found].contains(v)) found++;
            if (found < lines.length) at = found;
            out.add(new Entry(v, at + 1));
        }
        return out;
    }

    /** {@code host~address~port~datadir~dbid~content}. */
    private Segment row(Entry e, Role role, Mode mode, Map<Integer, Integer> lineOf) {
        String[] f = e.text().split("~", -1);
        if (f.length != 6) {
            throw new SpecException(file, e.line(), "'" + e.text() + "': expected host~address~port~datadir~dbid~content"
                    + " (6 fields, got " + f.length + ")");
        }
        for (int i = 0; i < 6; i++) {
            if (f[i].isBlank()) throw new SpecException(file, e.line(), "'" + e.text() + "': field " + (i + 1)
                    + " is empty");
        }
        int port = number(e, "port", f[2]);
        if (port < 1 || port > 65535) throw new SpecException(file, e.line(), "port " + port + " is out of range 1..65535");
        Path dir = Path.of(f[3]);
        if (!dir.isAbsolute()) throw new SpecException(file, e.line(), "data directory " + f[3] + " is not absolute");
        int dbid = number(e, "dbid", f[4]);
        if (dbid < 1) throw new SpecException(file, e.line(), "dbid " + dbid + " must be 1 or more");
        Integer earlier = lineOf.put(dbid, e.line());
        if (earlier != null) throw new SpecException(file, e.line(), "dbid " + dbid + " is used twice (also at line "
                + earlier + ")");
        int content = number(e, "content", f[5]);
        return new Segment(dbid, content, role, role, mode, Status.UP, port, f[0], f[1], dir.normalize().toString());
    }

    private int number(Entry e, String what, String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException x) {
            throw new SpecException(file, e.line(), what + " '" + text + "' is not a number");
        }
    }

    /** No two instances on one host (by address) share a port or a data directory. */
    private void distinct(List<Segment> rows, Map<Integer, Integer> lineOf) {
        Map<String, Segment> places = new HashMap<>();
        for (Segment s : rows) {
            for (String key : List.of(s.address() + " port " + s.port(), s.address() + " directory " + s.datadir())) {
                Segment other = places.put(key, s);
                if (other != null) throw new SpecException(file, lineOf.get(s.dbid()), "dbid " + s.dbid()
                        + " and dbid " + other.dbid() + " (line " + lineOf.get(other.dbid()) + ") share host "
                        + key.replace(" port ", ", port ").replace(" directory ", ", directory "));
            }
        }
    }

    /** The one prefix of every data directory's name: {@code gpseg} of {@code gpseg0}, {@code gpseg-1}. */
    private String prefix(List<Segment> rows, Map<Integer, Integer> lineOf) {
        String prefix = null;
        for (Segment s : rows) {
            String name = Path.of(s.datadir()).getFileName().toString();
            String suffix = Integer.toString(s.content());
            if (!name.endsWith(suffix) || name.length() == suffix.length()) {
                throw new SpecException(file, lineOf.get(s.dbid()), "data directory " + s.datadir() + " of content "
                        + s.content() + " is not named <prefix>" + suffix + " (as gpinitsystem names them)");
            }
            String p = name.substring(0, name.length() - suffix.length());
            if (prefix == null) prefix = p;
            else if (!prefix.equals(p)) {
                throw new SpecException(file, lineOf.get(s.dbid()), "data directory " + s.datadir() + " has prefix "
                        + p + ", the others " + prefix + ": use one prefix");
            }
        }
        if (!prefix.matches("[A-Za-z0-9_.-]+")) {
            throw new SpecException(file, 0, "prefix '" + prefix + "' must be letters, digits, '_', '.' or '-'");
        }
        return prefix;
    }

    /**
     * The spec init keeps beside the rows: the hosts and the parent directories (the only places root later removes
     * or re-owns a data directory in), the lowest ports, and the mirror policy the layout follows (spread when a
     * host's mirrors are on several hosts).
     */
    private static ClusterSpec spec(List<Segment> rows, boolean mirrored, String prefix, String osUser) {
        Segment c = rows.get(0);
        List<Segment> primaries = rows.stream().filter(s -> s.content() >= 0 && s.isPrimary()).toList();
        List<Segment> mirrors = rows.stream().filter(s -> s.content() >= 0 && s.isMirror()).toList();
        Set<String> hosts = new LinkedHashSet<>();
        primaries.forEach(s -> hosts.add(s.address()));
        mirrors.forEach(s -> hosts.add(s.address()));
        MirrorMode mode = MirrorMode.GROUP;
        Map<String, Set<String>> mirrorHostsOf = new HashMap<>();
        for (Segment m : mirrors) {
            Segment p = primaries.stream().filter(s -> s.content() == m.content()).findFirst().orElseThrow();
            mirrorHostsOf.computeIfAbsent(p.address(), k -> new HashSet<>()).add(m.address());
        }
        if (mirrorHostsOf.values().stream().anyMatch(s -> s.size() > 1)) mode = MirrorMode.SPREAD;
        return new ClusterSpec(new InstanceLocation(c.hostname(), c.port(), Path.of(c.datadir())), Optional.empty(),
                List.copyOf(hosts), parents(primaries), mirrored ? parents(mirrors) : List.of(),
                primaries.stream().mapToInt(Segment::port).min().orElseThrow(),
                mirrored ? mirrors.stream().mapToInt(Segment::port).min().orElseThrow() : 0, mode, prefix, osUser,
                Map.of(), List.of());
    }

    private static List<Path> parents(List<Segment> rows) {
        return rows.stream().map(s -> Path.of(s.datadir()).getParent()).distinct().toList();
    }
}
