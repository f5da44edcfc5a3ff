package dev.tandem.exit;

/**
 * Every exit code of every tandem command, and the only place their numbers are written (docs/exit-codes.md is the
 * table for people). One meaning per number, whatever the command, so that a script can branch on it.
 * <p>
 * Where Greenplum's tools define a code, it is kept: 0; 1 for "ran, and found something that needs attention"
 * (gpstate -e, -m, -s); 2 for bad usage (their option parser and argument checks); 4 for an operator who answered
 * no at a prompt. Greenplum's tools also exit 2 for any other failure, so a failure there looks like bad usage; here
 * a failure is 3, and 2 keeps its one meaning.
 * <p>
 * A package of its own at the lowest rank because the state views put the code in their JSON ({@code exitCode}) and
 * the commands return it: both must read the same numbers.
 */
public enum ExitCode {

    OK(0, "done; nothing wrong"),
    ATTENTION(1, "done, and something needs the operator's attention: named in the output"),
    USAGE(2, "bad usage or a refused request; nothing was changed"),
    FAILED(3, "the operation failed; stderr says what and where"),
    DECLINED(4, "the operator answered no at a prompt; nothing was changed");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }

    /** OK when nothing needs attention, else ATTENTION: the shape of every report-and-check command. */
    public static ExitCode attentionIf(boolean problem) {
        return problem ? ATTENTION : OK;
    }
}
