package dev.tandem.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * gpMgmt's logging options, which every Greenplum utility takes: {@code -q} (nothing on the screen, the log file
 * only) and {@code -l DIR} (append every line to {@code DIR/<utility>_YYYYMMDD.log}); {@link VerboseOption} adds
 * {@code -v} where it means verbose (gpinitsystem's -v is its version; its debug flag is -D).
 * Read by {@link TandemCommand}'s execution strategy, which configures {@link Output} before the command runs.
 */
public final class LogOptions {

    @Option(names = "-q", description = "Quiet: print nothing on the screen (lines still go to the -l log file).")
    boolean quiet;

    @Option(names = "-l", paramLabel = "LOG_DIR",
            description = "Also write every line to LOG_DIR/<utility>_YYYYMMDD.log (Greenplum's default is "
                    + "~/gpAdminLogs; Tandem writes a log file only when asked).")
    Path logDir;
}
