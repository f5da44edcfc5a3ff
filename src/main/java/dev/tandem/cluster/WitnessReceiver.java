package dev.tandem.cluster;

import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Witness;
import dev.tandem.host.Command;
import dev.tandem.host.CommandResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A witness's {@code pg_receivewal} on its host, through the host runner, as the cluster's OS user: started in the
 * background in its own session ({@code setsid}), its pid in {@code DIR/receivewal.pid}, its output appended to
 * {@code DIR/receivewal.log}, its password in {@code DIR/.pgpass} (0600). pg_receivewal writes only WAL file names
 * into its directory and ignores other files, so the three live beside the WAL.
 *
 * <p>It runs with {@code --no-loop}: when its primary goes away it exits, and whoever supervises it (the FTS daemon)
 * starts it again toward the acting primary the catalog names, instead of pg_receivewal retrying the old one.
 */
public final class WitnessReceiver {

    static final Duration TIMEOUT = Duration.ofSeconds(20);
    public static final String PID_FILE = "receivewal.pid";
    public static final String LOG_FILE = "receivewal.log";
    static final String PASS_FILE = ".pgpass";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WitnessReceiver.class);

    private final Cluster cluster;

    public WitnessReceiver(Cluster cluster) {
        this.cluster = cluster;
    }

    /** The argv of the receiver toward {@code primary}; pure, for tests and for the operator's log. */
    public static List<String> argv(Path bin, Witness w, Segment primary, String user) {
        String conninfo = Conninfo.of().with("host", primary.address()).with("port", primary.port())
                .with("user", user).with("application_name", w.applicationName()).with("connect_timeout", 5)
                .toString();
        // a status reply every second even when idle (the default is 10 s): FTS counts a standby whose last reply is
        // older than 2.5 s as gone, as it does for a mirror
        return List.of(bin.resolve("pg_receivewal").toString(), "-D", w.dir(), "-S", w.slot(), "--synchronous",
                "--no-loop", "--status-interval=1", "-d", conninfo);
    }

    /**
     * Stops the receiver this witness's pid file names, if it is one, and starts a new one toward {@code primary}.
     * Idempotent; returns the new pid.
     */
    public long restart(Witness w, Segment primary) {
        Path dir = Path.of(w.dir());
        cluster.files().mkdirs(w.address(), dir);
        cluster.files().write(w.address(), dir.resolve(PASS_FILE),
                Secrets.pgpass(cluster.descriptor().superuser(), cluster.password()), "600");
        stop(w);
        // A new primary (a failover): the old primary may have sent WAL past the new one's switch point, and
        // pg_receivewal resumes from its newest file, a position the new primary does not have on that timeline.
        // The segments go; the receiver starts afresh at its new slot's position on the new primary.
        String origin = primary.address() + ":" + primary.port() + ":" + primary.datadir();
        String fresh = """
                dir=$1 origin=$2
                f="$dir/receivewal.primary"
                if [ -f "$f" ] && [ "$(cat "$f")" != "$origin" ]; then
                  rm -f "$dir"/[0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F]*
                  echo emptied
                fi
                printf '%s' "$origin" > "$f"
                """;
        CommandResult emptied = cluster.runner().run(Command.of(w.address(), TIMEOUT,
                List.of("sh", "-c", fresh, "witness-origin", w.dir(), origin)).as(cluster.descriptor().osUser())).orThrow();
        if (emptied.stdout().contains("emptied")) {
            LOG.info("{} WAL of the previous primary removed: it now streams from {}", w.subject(), primary.location());
        }
        // setsid: its own session, so the runner's process group ending does not take it along; stdin closed and
        // output to the log, so the runner's pipes close when the shell exits
        String script = """
                dir=$1; shift
                cd "$dir" || exit 1
                PGPASSFILE="$dir/.pgpass" setsid "$@" >> "$dir/receivewal.log" 2>&1 < /dev/null &
                echo $! > "$dir/receivewal.pid"
                echo $!
                """;
        List<String> argv = new ArrayList<>(List.of("sh", "-c", script, "witness-start", w.dir()));
        argv.addAll(argv(cluster.tools().bin(), w, primary, cluster.descriptor().superuser()));
        CommandResult r = cluster.runner().run(Command.of(w.address(), TIMEOUT, argv).as(cluster.descriptor().osUser()))
                .orThrow();
        return Long.parseLong(r.stdout().strip());
    }

    /** Stops the receiver the pid file names, only if that pid is a pg_receivewal; true when one was stopped. */
    public boolean stop(Witness w) {
        String script = """
                f="$1/receivewal.pid"
                [ -f "$f" ] || exit 0
                pid=$(head -c 32 "$f" | tr -dc 0-9)
                [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || { rm -f "$f"; exit 0; }
                tr '\\0' ' ' < "/proc/$pid/cmdline" | grep -q pg_receivewal || { rm -f "$f"; exit 0; }
                kill -TERM "$pid"
                i=0
                while [ -d "/proc/$pid" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
                [ -d "/proc/$pid" ] && kill -KILL "$pid"
                rm -f "$f"
                echo stopped
                """;
        CommandResult r = cluster.runner().run(Command.of(w.address(), TIMEOUT,
                List.of("sh", "-c", script, "witness-stop", w.dir())).as(cluster.descriptor().osUser())).orThrow();
        return r.stdout().contains("stopped");
    }

    /** The names of the files in the witness's directory (WAL segments, partial and history files, its own). */
    public List<String> files(Witness w) {
        CommandResult r = cluster.runner().run(Command.of(w.address(), TIMEOUT, List.of("ls", "-1", w.dir()))
                .as(cluster.descriptor().osUser())).orThrow();
        return r.stdout().lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** Removes the named files of the witness's directory (names only, no paths). */
    public void remove(Witness w, List<String> names) {
        if (names.isEmpty()) return;
        List<String> argv = new ArrayList<>(List.of("rm", "-f", "--"));
        for (String n : names) {
            if (n.contains("/")) throw new IllegalArgumentException("not a file name: " + n);
            argv.add(Path.of(w.dir()).resolve(n).toString());
        }
        cluster.runner().run(Command.of(w.address(), TIMEOUT, argv).as(cluster.descriptor().osUser())).orThrow();
    }
}
