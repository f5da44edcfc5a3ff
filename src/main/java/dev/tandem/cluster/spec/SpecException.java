package dev.tandem.cluster.spec;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A cluster spec file that cannot be used, pointing at the place to fix: {@code FILE:LINE: problem}, or
 * {@code FILE: problem} when the problem is the file as a whole (line 0).
 */
public class SpecException extends RuntimeException {

    private final Path file;
    private final int line;
    private final String problem;

    public SpecException(Path file, int line, String problem) {
        this(file, line, problem, null);
    }

    public SpecException(Path file, int line, String problem, Throwable cause) {
        super(render(file, line, problem), cause);
        this.file = Objects.requireNonNull(file, "file");
        this.line = line;
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    public Path file() {
        return file;
    }

    /** 1-based; 0 when the problem is not on one line. */
    public int line() {
        return line;
    }

    public String problem() {
        return problem;
    }

    static String render(Path file, int line, String text) {
        return line > 0 ? file + ":" + line + ": " + text : file + ": " + text;
    }
}
