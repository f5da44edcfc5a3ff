package dev.tandem.cli;

import dev.tandem.exit.ExitCode;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** Step lines on stdout, Greenplum-style: {@code 20:14:03 [INFO]:-starting coordinator ...}. */
final class Output {
    private static final DateTimeFormatter T = DateTimeFormatter.ofPattern("HH:mm:ss");

    private Output() {
    }

    static synchronized void info(String line) {
        System.out.println(LocalTime.now().format(T) + " [INFO]:-" + line);
        System.out.flush();
    }

    static synchronized void warn(String line) {
        System.out.println(LocalTime.now().format(T) + " [WARNING]:-" + line);
        System.out.flush();
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
