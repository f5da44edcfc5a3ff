package dev.tandem.cluster;

import dev.tandem.catalog.Segment;
import dev.tandem.host.Command;
import dev.tandem.host.CommandResult;
import dev.tandem.host.HostException;
import dev.tandem.host.HostFiles;
import dev.tandem.host.HostRunner;
import dev.tandem.host.PgTools;
import dev.tandem.host.PlaceGuard;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything {@code tandem init} checks before it creates anything: hosts reachable, the OS user present,
 * PostgreSQL binaries present and of one version, ports free, data directories absent or empty and creatable by
 * the OS user. Returns every problem found, each naming its host, port or path.
 */
public final class InitPrechecks {

    static final List<String> TOOLS = List.of("postgres", "initdb", "pg_ctl", "pg_basebackup", "pg_rewind");
    public static final int MIN_MAJOR = 14;

    private final HostRunner runner;
    private final PgTools tools;
    private final HostFiles files;
    private final boolean root = "root".equals(System.getProperty("user.name"));

    public InitPrechecks(HostRunner runner, PgTools tools, HostFiles files) {
        this.runner = runner;
        this.tools = tools;
        this.files = files;
    }

    public List<String> problems(List<Segment> rows) {
        List<String> problems = new ArrayList<>();
        Set<String> hosts = new LinkedHashSet<>();
        rows.forEach(s -> hosts.add(s.address()));
        Set<String> reachable = new LinkedHashSet<>();
        for (String h : hosts) {
            if (runner.reaches(h)) reachable.add(h);
            else problems.add("host " + h + ": not reachable");
        }
        if (!problems.isEmpty()) return problems;
        checkUser(reachable, problems);
        checkBinaries(reachable, problems);
        if (!problems.isEmpty()) return problems;
        checkPorts(rows, problems);
        checkDirectories(rows, problems);
        // the planner compared the paths as written; here they are compared as each host resolves them
        problems.addAll(new PlaceCheck(files).conflicts(List.of(), rows.stream()
                .map(s -> new PlaceCheck.Candidate(s, describe(s) + " at " + s.location())).toList()));
        return problems;
    }

    private void checkUser(Set<String> hosts, List<String> problems) {
        String me = System.getProperty("user.name");
        if (!root && !me.equals(tools.osUser())) {
            problems.add("OS user " + tools.osUser() + ": Tandem runs as " + me + " and can only run PostgreSQL as "
                    + me + " (run as root, or as " + tools.osUser() + ")");
            return;
        }
        if (root && "root".equals(tools.osUser())) {
            problems.add("OS user root: PostgreSQL refuses to run as root; choose another OS user (e.g. postgres)");
            return;
        }
        for (String h : hosts) {
            if (!runner.run(Command.of(h, Duration.ofSeconds(10), List.of("id", "-u", tools.osUser()))).ok()) {
                problems.add("host " + h + ": OS user " + tools.osUser() + " does not exist");
            }
        }
    }

    private void checkBinaries(Set<String> hosts, List<String> problems) {
        Map<String, String> versions = new TreeMap<>();
        for (String h : hosts) {
            for (String t : TOOLS) {
                try {
                    int major = tools.majorVersion(h, t);
                    versions.put(h + " " + tools.tool(t), Integer.toString(major));
                    if (major < MIN_MAJOR) {
                        problems.add("host " + h + ": " + tools.tool(t) + " is PostgreSQL " + major
                                + "; Tandem needs " + MIN_MAJOR + " or newer");
                    }
                } catch (HostException e) {
                    problems.add("host " + h + ": " + tools.tool(t) + " is missing or does not run ("
                            + e.getMessage().lines().reduce((a, b) -> b).orElse("") + ")");
                }
            }
        }
        if (new HashSet<>(versions.values()).size() > 1) {
            problems.add("PostgreSQL binaries differ in major version: " + versions);
        }
    }

    private void checkPorts(List<Segment> rows, List<String> problems) {
        Map<String, ListeningPorts> byHost = new TreeMap<>();
        for (Segment s : rows) {
            ListeningPorts lp = byHost.computeIfAbsent(s.address(), h -> {
                CommandResult r = runner.run(Command.of(h, Duration.ofSeconds(10), List.of("ss", "-Hltn")));
                if (!r.ok()) throw new HostException("host " + h + ": cannot list listening ports (ss): " + r.stderr());
                return ListeningPorts.parse(r.stdout());
            });
            if (lp.taken(addresses(s.address()), s.port())) {
                problems.add("host " + s.address() + ": port " + s.port() + " is already in use (needed by "
                        + describe(s) + ")");
            }
        }
    }

    private void checkDirectories(List<Segment> rows, List<String> problems) {
        for (Segment s : rows) {
            Path dir = Path.of(s.datadir());
            if (!dir.isAbsolute()) {
                problems.add("host " + s.address() + ": data directory " + dir + " must be an absolute path");
                continue;
            }
            try {
                PlaceGuard.refuseSystemPath(dir);
            } catch (HostException e) {
                problems.add("host " + s.address() + ": " + e.getMessage() + " (needed by " + describe(s) + ")");
                continue;
            }
            if (!files.absentOrEmptyDir(s.address(), dir)) {
                problems.add("host " + s.address() + ": data directory " + dir + " exists and is not empty (needed by "
                        + describe(s) + ")");
                continue;
            }
            Path existing = files.nearestExisting(s.address(), dir);
            boolean ok = root ? traversable(s.address(), existing) : files.writableByOsUser(s.address(), existing);
            if (!ok) {
                problems.add("host " + s.address() + ": OS user " + tools.osUser() + " cannot "
                        + (root ? "reach " : "create directories in ") + existing + " (for " + dir
                        + "); fix its permissions or choose another directory");
            }
        }
    }

    /** As root we create missing directories and hand them over; the OS user must still be able to reach them. */
    private boolean traversable(String host, Path existing) {
        return runner.run(Command.of(host, Duration.ofSeconds(10), List.of("test", "-x", existing.toString()))
                .as(tools.osUser())).ok();
    }

    static Set<String> addresses(String host) {
        Set<String> out = new HashSet<>();
        out.add(host);
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) out.add(a.getHostAddress());
        } catch (UnknownHostException e) {
            // reported by the reachability check
        }
        return out;
    }

    static String describe(Segment s) {
        if (s.content() < 0) return s.isPrimary() ? "the coordinator" : "the standby coordinator";
        return (s.isPrimary() ? "primary" : "mirror") + " of content " + s.content();
    }
}
