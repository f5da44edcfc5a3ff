package dev.tandem.testing;

import dev.tandem.cli.TandemCommand;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs the real CLI in-process and captures its exit code and error stream (and, on request, what it prints). */
public final class Cli {
    private Cli() {
    }

    public record Result(int exitCode, String err, String out) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "\n--- err\n" + err;
        }
    }

    public static Result run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = TandemCommand.commandLine();
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, err.toString(), "");
    }

    /**
     * The same, with stdout captured too: both the command's writer and System.out (step lines), copied to the real
     * stdout as well. One at a time: System.out is process-wide.
     */
    public static synchronized Result runCapturing(String... args) {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int code;
        System.setOut(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                saved.write(b);
                stdout.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                saved.write(b, off, len);
                stdout.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8));
        try {
            CommandLine cl = TandemCommand.commandLine();
            cl.setOut(new PrintWriter(System.out, true));
            cl.setErr(new PrintWriter(err, true));
            code = cl.execute(args);
        } finally {
            System.setOut(saved);
        }
        return new Result(code, err.toString(), stdout.toString(StandardCharsets.UTF_8));
    }
}
