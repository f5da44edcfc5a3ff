package dev.tandem.cli;

import dev.tandem.exit.ExitCode;
import java.sql.SQLException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Maps failures to a one-paragraph message and an exit code: {@link ExitCode#USAGE} for a request refused before
 * anything changed (commands throw IllegalArgumentException for those; a spec file's SpecException and a layout's
 * PlacementException are such refusals too), {@link ExitCode#ATTENTION} for work done on
 * part of the cluster ({@link PartlyDone}), {@link ExitCode#FAILED} for anything else.
 * Stack traces only with TANDEM_DEBUG=1.
 */
final class ErrorHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
        if (ex instanceof SQLException sql && sql.getSQLState() != null) msg += " (SQLSTATE " + sql.getSQLState() + ")";
        // the full path (tandem etcd attach), not the leaf name: "tandem attach" names no command
        String name = cmd.getCommandSpec().qualifiedName();
        cmd.getErr().println((name.startsWith("tandem") ? name : "tandem " + name) + ": error: " + msg);
        if ("1".equals(System.getenv("TANDEM_DEBUG"))) ex.printStackTrace(cmd.getErr());
        if (ex instanceof PartlyDone) return ExitCode.ATTENTION.code();
        // a spec or input file that cannot be used (file:line) and a layout that breaks a placement rule are refused
        // before anything is made, as bad flags are
        boolean refusedInput = ex instanceof IllegalArgumentException || ex instanceof dev.tandem.cluster.spec.SpecException
                || ex instanceof dev.tandem.cluster.placement.PlacementException;
        return (refusedInput ? ExitCode.USAGE : ExitCode.FAILED).code();
    }
}
