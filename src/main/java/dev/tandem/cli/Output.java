package dev.tandem.cli;

import dev.tandem.exit.ExitCode;
import dev.tandem.state.LinePrefix;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * Step lines on stdout in gpMgmt's shape, {@code 20261203:18:34:39:012345 gpstate:cdw:gpadmin-[INFO]:-text},
 * honouring -q (no screen), -v (debug lines) and -l DIR (a log file). Machine output (--json, -o files,
 * pipe-separated rows) never goes through here. Configured once per run, before the command, by
 * {@link TandemCommand}; the defaults (no utility set) print as {@code tandem}.
 */
final class Output {

    /** Greenplum's name for the utility a command stands for; Tandem's own commands are {@code tandem_<name>}. */
    private static final Map<String, String> UTILITY = Map.ofEntries(Map.entry("state", "gpstate"),
            Map.entry("recoverseg", "gprecoverseg"), Map.entry("rebalance", "gprecoverseg"),
            Map.entry("init", "gpinitsystem"), Map.entry("initstandby", "gpinitstandby"),
            Map.entry("activatestandby", "gpactivatestandby"), Map.entry("start", "gpstart"),
            Map.entry("stop", "gpstop"), Map.entry("restart", "gpstop"), Map.entry("config", "gpconfig"),
            Map.entry("addmirrors", "gpaddmirrors"));

    private static LinePrefix prefix = LinePrefix.of("tandem");
    private static boolean quiet;
    private static boolean verbose;
    private static Path logFile;
    private static PrintStream screen = System.out;

    private Output() {
    }

    static String utility(String command) {
        return UTILITY.getOrDefault(command, "tandem_" + command);
    }

    static synchronized void configure(String command, boolean quiet, boolean verbose, Path logDir) {
        Output.prefix = LinePrefix.of(utility(command));
        Output.quiet = quiet;
        Output.verbose = verbose;
        Output.logFile = null;
        Output.screen = System.out;
        if (logDir != null) {
            try {
                Files.createDirectories(logDir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the log directory " + logDir + ": " + e.getMessage(), e);
            }
            Output.logFile = logDir.resolve(prefix.utility() + "_"
                    + LocalDate.now().format(DateTimeFormatter.BASIC_ISO_DATE) + ".log");
        }
    }

    static synchronized LinePrefix prefix() {
        return prefix;
    }

    static synchronized boolean quiet() {
        return quiet;
    }

    static void info(String line) {
        emit("INFO", line);
    }

    static void warn(String line) {
        emit("WARNING", line);
    }

    /** Only with -v, as gpMgmt's DEBUG lines. */
    static void debug(String line) {
        if (verbose) emit("DEBUG", line);
    }

    private static synchronized void emit(String level, String line) {
        String full = prefix.before(level) + line;
        if (!quiet) {
            screen.println(full);
            screen.flush();
        }
        log(full + "\n");
    }

    /** Text already rendered with the prefix (a state view): to the log file too; the caller prints it unless -q. */
    static synchronized void log(String text) {
        if (logFile == null) return;
        try {
            Files.writeString(logFile, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("tandem: cannot write the log file " + logFile + ": " + e.getMessage());
        }
    }

    /** A Greenplum flag accepted that cannot apply to Tandem: one line on stderr saying why; the run goes on. */
    static void notApplicable(String command, String flag, String why) {
        System.err.println("tandem " + command + ": note: " + flag + " " + why);
    }

    /**
     * Exit code of a start/stop/restart that skipped unreachable segment hosts: OK when none; otherwise ATTENTION (the
     * rest of the cluster was handled) through {@link PartlyDone}, the message on stderr naming them; their own lines,
     * with the instances, came as the run went.
     */
    static int skippedHosts(String command, java.util.List<String> skipped) {
        if (skipped.isEmpty()) return ExitCode.OK.code();
        throw new PartlyDone("unreachable host" + (skipped.size() == 1 ? " " : "s ")
                + String.join(", ", skipped) + " skipped: their instances were left as they were; the rest of the"
                + " cluster was handled. Run tandem " + command + " again once they answer (tandem hosts check)");
    }
}
