package dev.tandem.coordinator;

import dev.tandem.cli.TandemCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** The real CLI in-process, with its exit code and what it wrote (commands' own stdout lines included). */
final class StandbyCli {

    private StandbyCli() {
    }

    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "\n--- err\n" + err;
        }
    }

    static synchronized Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        java.io.ByteArrayOutputStream stdout = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.out;
        int code;
        // before the CommandLine exists: a writer made from System.out at construction must see the tee
        System.setOut(new java.io.PrintStream(new TeeStream(saved, stdout), true));
        try {
            CommandLine cl = TandemCommand.commandLine();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            code = cl.execute(args);
        } finally {
            System.setOut(saved);
        }
        return new Result(code, out + stdout.toString(), err.toString());
    }

    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws java.io.IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
