package dev.tandem.cluster;

import dev.tandem.host.Command;
import dev.tandem.host.CommandResult;
import dev.tandem.host.CommandFailedException;
import dev.tandem.host.HostException;
import dev.tandem.host.HostRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a coordinator's background FTS daemon ({@code tandem fts start}) on whichever host it runs, through the host
 * runner: ssh as root for another host, a local process for this one. {@link FtsDaemonProcess} knows the daemon only
 * through this machine's files and process table; after {@code activatestandby} the old coordinator's daemon runs on
 * the old coordinator's host, and left running it would act again the moment that coordinator came back.
 *
 * <p>Two steps, so that the decision is made here, on data: the host is asked what its pid file names (pid, start
 * time, process group, command line); only a process whose command line is that coordinator's Tandem FTS daemon or
 * supervisor is signalled, and only while its start time is still the one seen (a pid reused in between by another
 * process is never signalled). The daemon leads its own process group ({@code setsid}): SIGTERM goes to the group
 * (the supervisor and the loop it runs), SIGKILL after a bounded wait.
 */
public final class FtsDaemonOnHost {

    private static final Logger LOG = LoggerFactory.getLogger(FtsDaemonOnHost.class);

    static final Duration TERM_WAIT = Duration.ofSeconds(10);
    private static final Duration LOOK_TIMEOUT = Duration.ofSeconds(20);

    /** What happened; {@link #message} is for the operator. */
    public sealed interface Outcome {
        String message();
    }

    public record Stopped(String host, long pid, boolean killed) implements Outcome {
        public String message() {
            return "the old coordinator's FTS daemon on " + host + " stopped (pid " + pid + ", "
                    + (killed ? "SIGKILL after " + TERM_WAIT.toSeconds() + " s" : "SIGTERM") + ")";
        }
    }

    public record NoneRunning(String host, String detail) implements Outcome {
        public String message() {
            return "no FTS daemon of the old coordinator runs on " + host + " (" + detail + ")";
        }
    }

    /** The host could not be asked, or the daemon outlived SIGKILL: a person must stop it. */
    public record ByHand(String host, String why, String how) implements Outcome {
        public String message() {
            return "the old coordinator's FTS daemon on " + host + " could not be stopped: " + why
                    + "; if it runs there, stop it by hand on that host: " + how;
        }
    }

    /** What the host's pid file names: the process as the host sees it. */
    record Seen(Path pidFile, long pid, String startTime, String processGroup, List<String> argv) {
    }

    private FtsDaemonOnHost() {
    }

    /** The pid files the daemon may have on its host: root's own directory, then the data directory (not root). */
    static List<Path> pidFiles(Path datadir) {
        return List.of(FtsDaemonProcess.ROOT_PID_DIR.resolve(FtsDaemonProcess.keyOf(datadir) + ".pid"),
                datadir.resolve(FtsDaemonProcess.PID_FILE));
    }

    /**
     * Whether {@code argv} is Tandem's FTS supervisor ({@code fts start --foreground}) or loop ({@code fts run}) for
     * the coordinator data directory {@code datadir}: a JVM ({@code java} is the program) whose arguments hold
     * {@code fts start|run} and then {@code -d DATADIR}. (The main class is not matched by name: this package may not
     * know the command line's classes, and the launcher may name a jar instead.)
     */
    public static boolean isDaemonOf(List<String> argv, Path datadir) {
        if (argv.isEmpty() || !"java".equals(Path.of(argv.get(0)).getFileName().toString())) return false;
        int fts = argv.indexOf("fts");
        if (fts < 1 || fts + 1 >= argv.size() || !List.of("start", "run").contains(argv.get(fts + 1))) return false;
        String want = datadir.normalize().toString();
        for (int i = fts + 2; i + 1 < argv.size(); i++) {
            if ("-d".equals(argv.get(i)) && Path.of(argv.get(i + 1)).normalize().toString().equals(want)) return true;
        }
        return false;
    }

    /** Stops the FTS daemon of the coordinator at {@code datadir} on {@code host}, saying what happened. */
    public static Outcome stop(HostRunner runner, String host, Path datadir) {
        String how = "`tandem fts stop -d " + datadir + "` as root, or kill the process whose pid is in "
                + pidFiles(datadir).get(0);
        try {
            Optional<Seen> seen = look(runner, host, datadir);
            if (seen.isEmpty()) return logged(new NoneRunning(host, "no pid file naming a live process"));
            Seen s = seen.get();
            if (!isDaemonOf(s.argv(), datadir)) {
                removePidFile(runner, host, s.pidFile());
                return logged(new NoneRunning(host, "its pid file " + s.pidFile() + " named pid " + s.pid()
                        + ", which is another process (" + String.join(" ", s.argv()) + "): left alone, pid file removed"));
            }
            return logged(signal(runner, host, s, how));
        } catch (CommandFailedException e) {
            return logged(new ByHand(host, "looking for it there failed (" + e.getMessage() + ")", how));
        } catch (HostException e) {
            // ssh's own failure or a timeout: the host is down or cut off
            return logged(new ByHand(host, "the host cannot be reached (" + e.getMessage() + ")", how));
        }
    }

    private static Outcome logged(Outcome o) {
        LOG.info("[fts daemon] {}", o.message());
        return o;
    }

    /** The first pid file that names a live process, with that process's identity as the host sees it. */
    private static Optional<Seen> look(HostRunner runner, String host, Path datadir) {
        // after the last ")" of /proc/PID/stat (the name may hold spaces): state ppid pgrp ... starttime is the 20th
        String script = """
                for f in "$@"; do
                  [ -f "$f" ] || continue
                  pid=$(head -c 32 "$f" | tr -dc 0-9)
                  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || { rm -f "$f"; continue; }
                  read -r s < "/proc/$pid/stat" || continue
                  s=${s##*) }
                  set -- $s
                  printf '%s\\n%s\\n%s\\n%s\\n' "$f" "$pid" "${20}" "$3"
                  cat "/proc/$pid/cmdline"
                  exit 0
                done
                """;
        List<String> argv = new java.util.ArrayList<>(List.of("sh", "-c", script, "fts-daemon-look"));
        pidFiles(datadir).forEach(p -> argv.add(p.toString()));
        CommandResult r = runner.run(Command.of(host, LOOK_TIMEOUT, argv)).orThrow();
        return parse(r.stdout());
    }

    /** {@code pidfile\npid\nstarttime\npgrp\n} then the NUL-separated command line; empty output: nothing runs. */
    static Optional<Seen> parse(String out) {
        String[] head = out.split("\n", 5);
        if (head.length < 5) return Optional.empty();
        List<String> argv = Arrays.stream(head[4].split("\0")).filter(a -> !a.isEmpty()).toList();
        return Optional.of(new Seen(Path.of(head[0]), Long.parseLong(head[1]), head[2], head[3], argv));
    }

    private static Outcome signal(HostRunner runner, String host, Seen s, String how) {
        // the same process only while its start time is unchanged; the whole group when it leads one (setsid). A
        // process counts as running until it is gone or a zombie (its parent, often init, reaps it when it will).
        // Plain sh (dash): no `kill --`, a negative pid names the group.
        String script = """
                pid=$1 start=$2 group=$3 tenths=$4 pidfile=$5
                same() { read -r s 2>/dev/null < "/proc/$pid/stat" || return 1; s=${s##*) }; set -- $s; [ "${20}" = "$start" ]; }
                running() {
                  if [ "$group" = no ]; then
                    read -r s 2>/dev/null < "/proc/$pid/stat" || return 1; s=${s##*) }; set -- $s; [ "$1" != Z ]; return
                  fi
                  for f in /proc/[0-9]*/stat; do
                    read -r s 2>/dev/null < "$f" || continue
                    s=${s##*) }; set -- $s
                    [ "$3" = "$pid" ] && [ "$1" != Z ] && return 0
                  done
                  return 1
                }
                target=$pid; [ "$group" = yes ] && target=-$pid
                same || { rm -f "$pidfile"; echo gone; exit 0; }
                kill -TERM "$target"
                i=0
                while running && [ $i -lt "$tenths" ]; do sleep 0.1; i=$((i + 1)); done
                how=term
                if running; then kill -KILL "$target"; how=kill; sleep 0.5; fi
                if running; then echo still; exit 0; fi
                rm -f "$pidfile"
                echo "$how"
                """;
        String group = Long.toString(s.pid()).equals(s.processGroup()) ? "yes" : "no";
        long tenths = TERM_WAIT.toMillis() / 100;
        CommandResult r = runner.run(Command.of(host, TERM_WAIT.plus(LOOK_TIMEOUT), List.of("sh", "-c", script,
                "fts-daemon-stop", Long.toString(s.pid()), s.startTime(), group, Long.toString(tenths),
                s.pidFile().toString()))).orThrow();
        return switch (r.stdout().strip()) {
            case "term" -> new Stopped(host, s.pid(), false);
            case "kill" -> new Stopped(host, s.pid(), true);
            case "gone" -> new NoneRunning(host, "pid " + s.pid() + " exited by itself; pid file removed");
            default -> new ByHand(host, "pid " + s.pid() + " still runs after SIGKILL (" + r.stdout().strip()
                    + r.stderr().strip() + ")", how);
        };
    }

    private static void removePidFile(HostRunner runner, String host, Path pidFile) {
        runner.run(Command.of(host, LOOK_TIMEOUT, List.of("rm", "-f", pidFile.toString()))).orThrow();
    }
}
