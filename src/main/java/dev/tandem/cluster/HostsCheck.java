package dev.tandem.cluster;

import dev.tandem.catalog.Segment;
import dev.tandem.host.Command;
import dev.tandem.host.CommandResult;
import dev.tandem.host.HostException;
import dev.tandem.host.HostFiles;
import dev.tandem.host.HostRunner;
import dev.tandem.host.PgTools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;

/**
 * {@code tandem hosts check}: per host, reachable? the same PostgreSQL (version of {@code postgres} at the same bin
 * path)? the ports its instances need free (a port held by that instance itself, running, is fine)? free disk at
 * the data directories' nearest existing parents? clock skew against this host? Hosts are checked in parallel.
 */
public final class HostsCheck {

    static final Duration T = Duration.ofSeconds(15);

    private final HostRunner runner;
    private final PgTools tools;
    private final HostFiles files;
    private final long minFreeBytes;
    private final double maxSkewSeconds;
    private final LongSupplier wallNanos;

    public HostsCheck(HostRunner runner, PgTools tools, long minFreeBytes, double maxSkewSeconds, LongSupplier wallNanos) {
        this.runner = runner;
        this.tools = tools;
        this.files = new HostFiles(runner, tools.osUser());
        this.minFreeBytes = minFreeBytes;
        this.maxSkewSeconds = maxSkewSeconds;
        this.wallNanos = wallNanos;
    }

    /** {@code hosts} in order; {@code instances} are the rows placed on them (catalog or plan), maybe none. */
    public List<HostReport> check(List<String> hosts, List<Segment> instances) {
        Map<String, HostReport> out = new ConcurrentHashMap<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String h : hosts) {
                pool.submit(() -> out.put(h, checkOne(h, instances.stream().filter(s -> s.address().equals(h)).toList())));
            }
        }
        List<HostReport> reports = hosts.stream().map(out::get).toList();
        Set<String> versions = new TreeSet<>();
        reports.stream().filter(HostReport::reachable).forEach(r -> versions.add(r.postgres()));
        if (versions.size() <= 1) return reports;
        List<HostReport> flagged = new ArrayList<>();
        for (HostReport r : reports) {
            List<String> p = new ArrayList<>(r.problems());
            if (r.reachable()) p.add("PostgreSQL differs between hosts: " + versions);
            flagged.add(new HostReport(r.host(), r.reachable(), r.postgres(), r.ports(), r.diskFree(), r.skewSeconds(), p));
        }
        return flagged;
    }

    private HostReport checkOne(String host, List<Segment> instances) {
        List<String> problems = new ArrayList<>();
        if (!runner.reaches(host)) {
            problems.add("not reachable (ssh " + host + " true failed; passwordless ssh as root is needed)");
            return new HostReport(host, false, "-", "-", "-", OptionalDouble.empty(), problems);
        }
        String postgres;
        try {
            postgres = tools.versionString(host, "postgres").replace("postgres (PostgreSQL) ", "PG ")
                    + " " + tools.bin();
        } catch (HostException e) {
            postgres = "missing";
            problems.add(tools.tool("postgres") + " does not run: " + lastLine(e.getMessage()));
        }
        // differential recovery (recoverseg --differential) copies with rsync, as the OS user, on the target host
        if (!runner.run(Command.of(host, T, List.of("sh", "-c", "command -v rsync"))).ok()) {
            problems.add("rsync is not installed (recoverseg --differential needs it): apt-get install rsync");
        }
        String ports = ports(host, instances, problems);
        String disk = disk(host, instances, problems);
        OptionalDouble skew = skew(host, problems);
        return new HostReport(host, true, postgres, ports, disk, skew, problems);
    }

    private String ports(String host, List<Segment> instances, List<String> problems) {
        if (instances.isEmpty()) return "-";
        CommandResult r = runner.run(Command.of(host, T, List.of("ss", "-Hltn")));
        if (!r.ok()) {
            problems.add("cannot list listening ports (ss): " + r.stderr().strip());
            return "?";
        }
        ListeningPorts lp = ListeningPorts.parse(r.stdout());
        Set<Integer> busy = new TreeSet<>();
        for (Segment s : instances) {
            if (lp.taken(InitPrechecks.addresses(host), s.port()) && !tools.isRunning(host, Path.of(s.datadir()))) {
                busy.add(s.port());
                problems.add("port " + s.port() + " is taken by another process (needed by " + InitPrechecks.describe(s) + ")");
            }
        }
        Set<Integer> all = new TreeSet<>();
        instances.forEach(s -> all.add(s.port()));
        return all.size() + " checked" + (busy.isEmpty() ? "" : ", busy " + busy);
    }

    private String disk(String host, List<Segment> instances, List<String> problems) {
        Set<Path> parents = new LinkedHashSet<>();
        if (instances.isEmpty()) parents.add(Path.of("/"));
        for (Segment s : instances) parents.add(files.nearestExisting(host, Path.of(s.datadir()).getParent()));
        Map<Path, Long> free = new TreeMap<>();
        for (Path p : parents) {
            CommandResult r = runner.run(Command.of(host, T, List.of("df", "-Pk", p.toString())));
            List<String> lines = r.stdout().strip().lines().toList();
            if (!r.ok() || lines.size() < 2) {
                problems.add("df " + p + " failed: " + r.stderr().strip());
                continue;
            }
            long bytes = Long.parseLong(lines.get(lines.size() - 1).trim().split("\\s+")[3]) * 1024;
            free.put(p, bytes);
            if (bytes < minFreeBytes) {
                problems.add(String.format("only %.1f GB free at %s (want %.1f GB)", bytes / 1e9, p, minFreeBytes / 1e9));
            }
        }
        return free.values().stream().min(Long::compare).map(b -> String.format("%.1f GB", b / 1e9)).orElse("?");
    }

    /** The remote clock against this host's: see {@link #leastSkew}. */
    private OptionalDouble skew(String host, List<String> problems) {
        long t0 = wallNanos.getAsLong();
        CommandResult r = runner.run(Command.of(host, T, List.of("date", "+%s.%N")));
        long t1 = wallNanos.getAsLong();
        try {
            double skew = leastSkew(Double.parseDouble(r.stdout().strip()), t0, t1);
            if (Math.abs(skew) > maxSkewSeconds) {
                problems.add(String.format("clock is at least %+.3f s off this host's (more than %.1f s; run NTP)",
                        skew, maxSkewSeconds));
            }
            return OptionalDouble.of(skew);
        } catch (NumberFormatException e) {
            problems.add("cannot read its clock (date +%s.%N): " + r.stdout().strip() + r.stderr().strip());
            return OptionalDouble.empty();
        }
    }

    /**
     * The least clock skew a reading proves. The remote clock ({@code remoteSeconds}) was read between this host's
     * {@code t0Nanos} and {@code t1Nanos}; with equal clocks it would lie in that interval, so the skew lies in
     * {@code [remote - t1, remote - t0]}, and the value returned is the point of that interval nearest zero (0 when
     * the reading falls inside the round trip). Not the midpoint of the round trip: over ssh most of it can be the
     * remote login shell starting (rc files taking seconds), all of it before {@code date} runs, and the midpoint
     * would then report a skew of half that startup on hosts whose clocks agree.
     */
    static double leastSkew(double remoteSeconds, long t0Nanos, long t1Nanos) {
        double ahead = remoteSeconds - t1Nanos / 1e9;
        double behind = remoteSeconds - t0Nanos / 1e9;
        if (ahead > 0) return ahead;
        if (behind < 0) return behind;
        return 0;
    }

    private static String lastLine(String s) {
        return s.lines().reduce((a, b) -> b).orElse("");
    }
}
