package dev.tandem.testing;

import dev.tandem.cli.TandemCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the real CLI in-process and captures its exit code and error stream. */
public final class Cli {
    private Cli() {
    }

    public record Result(int exitCode, String err) {
    }

    public static Result run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = TandemCommand.commandLine();
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, err.toString());
    }
}
