package dev.tandem.cli;

import dev.tandem.cluster.ClusterDescriptor;
import java.util.ArrayList;
import java.util.List;

/**
 * How this Tandem is launched again as a child process: the same java, the same class path, this main class. The
 * background FTS daemon is started so ({@code tandem fts start}), and the supervisor starts {@code tandem fts run}
 * so. Built here, at the top, because only the command line knows its own entry point.
 */
public final class SelfCommand {

    private SelfCommand() {
    }

    /** {@code tandem ARGS...} as a child process, logging at INFO. */
    public static List<String> tandem(String... args) {
        return tandem(List.of(args));
    }

    /** {@code tandem ARGS...} as a child process, logging at INFO. */
    public static List<String> tandem(List<String> args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> argv = new ArrayList<>(List.of(java, "-Dtandem.log.level=INFO", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        argv.addAll(args);
        return argv;
    }

    /** The supervised FTS daemon of a cluster, in the foreground (what {@code tandem fts start} puts in the background). */
    public static List<String> ftsSupervisor(ClusterDescriptor d) {
        return ftsSupervisor(d, List.of());
    }

    /** The same, with options for the daemon ({@link HttpOptions#args()}). */
    public static List<String> ftsSupervisor(ClusterDescriptor d, List<String> daemonArgs) {
        List<String> args = new ArrayList<>(List.of("fts", "start", "--foreground", "-d", d.coordinatorDatadir()));
        args.addAll(daemonArgs);
        return tandem(args);
    }

    /** The FTS loop itself, stopping when {@code parentPid} is gone. */
    static List<String> ftsRun(String coordinatorDatadir, long parentPid, List<String> daemonArgs) {
        List<String> args = new ArrayList<>(List.of("fts", "run", "-d", coordinatorDatadir, "--parent",
                Long.toString(parentPid)));
        args.addAll(daemonArgs);
        return tandem(args);
    }
}
