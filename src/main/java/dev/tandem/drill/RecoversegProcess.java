package dev.tandem.drill;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * {@code tandem recoverseg -a} as an operator runs it: a separate process (the same classes, launched as the
 * command line launches itself), in its own session ({@code setsid}) so that it and the tools it runs
 * ({@code pg_rewind}, {@code pg_basebackup}) can be killed together as a fault, the way a dropped ssh session
 * takes an operator's shell with it.
 */
final class RecoversegProcess {

    private final Path coordinatorDatadir;
    private final Path logFile;
    private final Duration waitTimeout;

    private final UnaryOperator<List<String>> tandem;

    /** @param tandem the command that runs {@code tandem} with the given arguments */
    RecoversegProcess(Path coordinatorDatadir, Path logFile, Duration waitTimeout, UnaryOperator<List<String>> tandem) {
        this.tandem = tandem;
        this.coordinatorDatadir = coordinatorDatadir;
        this.logFile = logFile;
        this.waitTimeout = waitTimeout;
    }

    Process start(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("recoverseg", "-a", "-d", coordinatorDatadir.toString(),
                "--wait-timeout", Long.toString(Math.max(1, waitTimeout.toSeconds()))));
        args.addAll(List.of(extra));
        List<String> argv = new java.util.ArrayList<>(List.of("setsid"));
        argv.addAll(tandem.apply(args));
        try {
            return new ProcessBuilder(argv)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start recoverseg: " + e.getMessage(), e);
        }
    }

    /** Runs to the end (bounded by {@code limit}, then killed with its group); the exit code, or -1 if killed. */
    int run(Duration limit, LocalProcesses processes) {
        Process p = start();
        try {
            if (p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) return p.exitValue();
            processes.kill9Group(p.pid());
            p.waitFor(10, TimeUnit.SECONDS);
            return -1;
        } catch (InterruptedException e) {
            processes.kill9Group(p.pid());
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
