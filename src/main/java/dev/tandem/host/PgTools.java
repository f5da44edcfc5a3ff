package dev.tandem.host;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL's own tools (initdb, pg_ctl, pg_basebackup, ...), run through a {@link HostRunner} as the cluster's OS
 * user. Tandem never re-implements what these do; this class only builds their argv and surfaces their errors.
 */
public final class PgTools {

    public static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)(?:\\.(\\d+))?");

    private final HostRunner runner;
    private final Path bin;
    private final String osUser;

    /** pg_basebackup's --max-rate for every full copy (gprecoverseg --max-rate); null: no limit. */
    private volatile String basebackupMaxRate;

    /** Set once, by the command line, before a recovery starts; every later full copy is limited to it. */
    public void limitBasebackupRate(String rate) {
        this.basebackupMaxRate = rate;
    }

    public PgTools(HostRunner runner, Path bin, String osUser) {
        this.runner = Objects.requireNonNull(runner);
        this.bin = Objects.requireNonNull(bin);
        this.osUser = Objects.requireNonNull(osUser);
    }

    public Path bin() {
        return bin;
    }

    public String osUser() {
        return osUser;
    }

    public HostRunner runner() {
        return runner;
    }

    public String tool(String name) {
        return bin.resolve(name).toString();
    }

    public Command cmd(String host, Duration timeout, String... argv) {
        return Command.of(host, timeout, List.of(argv)).as(osUser);
    }

    public CommandResult run(Command c) {
        return runner.run(c).orThrow();
    }

    /** Major version of a tool, e.g. 15 for "postgres (PostgreSQL) 15.18". */
    public int majorVersion(String host, String toolName) {
        String out = run(cmd(host, Duration.ofSeconds(20), tool(toolName), "--version")).stdout();
        return parseMajor(out).orElseThrow(() -> new HostException(
                "on " + host + ": cannot read the version of " + tool(toolName) + " from: " + out.strip()));
    }

    public String versionString(String host, String toolName) {
        return run(cmd(host, Duration.ofSeconds(20), tool(toolName), "--version")).stdout().strip();
    }

    static java.util.Optional<Integer> parseMajor(String out) {
        Matcher m = VERSION.matcher(out);
        return m.find() ? java.util.Optional.of(Integer.parseInt(m.group(1))) : java.util.Optional.empty();
    }

    /** initdb with data checksums (so pg_rewind works later) and SCRAM for every connection, in locale C. */
    public void initdb(String host, Path datadir, String superuser, Path pwfile) {
        initdb(host, datadir, superuser, pwfile, InitdbLocale.C);
    }

    /** As above, in the cluster's locale (gpinitsystem -n / --lc-*). */
    public void initdb(String host, Path datadir, String superuser, Path pwfile, InitdbLocale locale) {
        java.util.List<String> argv = new java.util.ArrayList<>(java.util.List.of(tool("initdb"), "-D",
                datadir.toString(), "-U", superuser, "--pwfile=" + pwfile, "--auth=scram-sha-256", "--data-checksums",
                "-E", "UTF8"));
        argv.addAll(locale.initdbArgs());
        argv.add("--no-instructions");
        run(cmd(host, Duration.ofMinutes(5), argv.toArray(String[]::new)));
    }

    /** pg_ctl start; on failure the message carries the server's own last log lines, not "see the log". */
    public void start(String host, Path datadir) {
        Path log = datadir.resolve("log/startup.log");
        CommandResult r = runner.run(cmd(host, START_TIMEOUT.plusSeconds(10), tool("pg_ctl"), "-D", datadir.toString(),
                "-l", log.toString(), "-w", "-t", Long.toString(START_TIMEOUT.toSeconds()), "start"));
        if (r.ok()) return;
        // with the logging collector on, the reason is in the newest server log, not in pg_ctl's
        CommandResult tail = runner.run(cmd(host, Duration.ofSeconds(10), "sh", "-c",
                "tail -n 15 \"$1\"; f=$(ls -t \"$2\"/postgresql-*.log 2>/dev/null | head -1); "
                        + "[ -n \"$f\" ] && tail -n 15 \"$f\"", "tail", log.toString(), datadir.resolve("log").toString()));
        throw new HostException("on " + host + ": PostgreSQL at " + datadir + " did not start (pg_ctl exit "
                + r.exitCode() + "):\n" + (tail.ok() && !tail.stdout().isBlank() ? tail.stdout().strip()
                : (r.stderr() + r.stdout()).strip()));
    }

    /** Stops an instance; a stopped instance is fine (idempotent). */
    public void stop(String host, Path datadir, String mode) {
        if (!isRunning(host, datadir)) return;
        CommandResult r = runner.run(cmd(host, START_TIMEOUT.plusSeconds(10), tool("pg_ctl"), "-D",
                datadir.toString(), "-m", mode, "-w", "-t", Long.toString(START_TIMEOUT.toSeconds()), "stop"));
        if (!r.ok() && isRunning(host, datadir)) r.orThrow();
    }

    /**
     * Stops an instance at once, within {@code limit}: {@code pg_ctl stop -m immediate}, and if the postmaster is
     * still there after the limit (stopped by SIGSTOP, stuck in the kernel on a dead disk) SIGKILL to it, whose
     * children then exit on their own when they see it gone. For FTS, which must fence a failed primary without
     * waiting minutes for it.
     *
     * @return how it went, for the log: "stopped", "was not running", or "killed (SIGKILL to postmaster PID)"
     */
    public String stopWithin(String host, Path datadir, Duration limit) {
        if (!isRunning(host, datadir)) return "was not running";
        long seconds = Math.max(1, limit.toSeconds());
        java.util.OptionalLong pid = postmasterPid(host, datadir);
        CommandResult r = runner.run(cmd(host, limit.plusSeconds(5), tool("pg_ctl"), "-D", datadir.toString(),
                "-m", "immediate", "-w", "-t", Long.toString(seconds), "stop"));
        if (r.ok() || !isRunning(host, datadir)) return "stopped";
        if (pid.isEmpty()) r.orThrow();
        runner.run(cmd(host, Duration.ofSeconds(10), "kill", "-KILL", Long.toString(pid.getAsLong()))).orThrow();
        return "killed (pg_ctl stop took over " + seconds + " s; SIGKILL to postmaster " + pid.getAsLong() + ")";
    }

    /** pg_ctl status: 0 running; 3 not running; 4 no accessible data directory. */
    public boolean isRunning(String host, Path datadir) {
        return runner.run(cmd(host, Duration.ofSeconds(20), tool("pg_ctl"), "-D", datadir.toString(), "status"))
                .exitCode() == 0;
    }

    /** PID of the postmaster from postmaster.pid, if running. */
    public java.util.OptionalLong postmasterPid(String host, Path datadir) {
        CommandResult r = runner.run(cmd(host, Duration.ofSeconds(20), "head", "-1",
                datadir.resolve("postmaster.pid").toString()));
        if (!r.ok()) return java.util.OptionalLong.empty();
        try {
            return java.util.OptionalLong.of(Long.parseLong(r.stdout().strip()));
        } catch (NumberFormatException e) {
            return java.util.OptionalLong.empty();
        }
    }

    /**
     * Full copy of a running instance through a replication slot (WAL streamed alongside, so the copy is
     * consistent on its own). The caller writes the replica's own settings afterwards.
     */
    public void basebackup(String host, String sourceAddress, int sourcePort, String user, Path passfile,
                           Path target, String slot, Duration timeout) {
        basebackup(host, sourceAddress, sourcePort, user, passfile, target, slot, timeout, null);
    }

    /** The same, with {@code --progress}: each progress line goes to {@code progress} as pg_basebackup prints it. */
    public void basebackup(String host, String sourceAddress, int sourcePort, String user, Path passfile,
                           Path target, String slot, Duration timeout, java.util.function.Consumer<String> progress) {
        List<String> argv = new ArrayList<>(List.of(tool("pg_basebackup"), "-h", sourceAddress,
                "-p", Integer.toString(sourcePort), "-U", user, "-D", target.toString(), "-X", "stream",
                "--checkpoint=fast", "--no-password"));
        if (slot != null) argv.addAll(List.of("-S", slot));
        if (basebackupMaxRate != null) argv.add("--max-rate=" + basebackupMaxRate);
        if (progress != null) argv.add("--progress");
        Command c = new Command(host, argv, timeout, java.util.Optional.of(osUser), Map.of("PGPASSFILE", passfile.toString()),
                java.util.Optional.empty(), java.util.Optional.empty());
        if (progress == null) run(c);
        else runner.runStreaming(c, progress).orThrow();
    }
}
