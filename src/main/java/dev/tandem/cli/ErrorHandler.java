package dev.tandem.cli;

import java.sql.SQLException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Maps failures to a one-paragraph message and an exit code: 1 for an operation that failed (what and where is in
 * the message), 2 for bad usage. Stack traces only with TANDEM_DEBUG=1.
 */
final class ErrorHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
        if (ex instanceof SQLException sql && sql.getSQLState() != null) msg += " (SQLSTATE " + sql.getSQLState() + ")";
        // the full path (tandem etcd attach), not the leaf name: "tandem attach" names no command
        cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": error: " + msg);
        if ("1".equals(System.getenv("TANDEM_DEBUG"))) ex.printStackTrace(cmd.getErr());
        return ex instanceof IllegalArgumentException ? 2 : 1;
    }
}
