package dev.tandem.cli;

import java.io.Console;

/** Greenplum's "Continue with ... Yy|Nn": asked on a terminal unless -a; refused without a terminal. */
final class Confirm {
    private Confirm() {
    }

    static boolean ask(boolean noPrompt, String question) {
        if (noPrompt) return true;
        Console console = System.console();
        if (console == null) {
            throw new IllegalArgumentException("no terminal to confirm on: pass -a to proceed without a prompt");
        }
        String answer = console.readLine("%s Yy|Nn (default=N): ", question);
        return answer != null && answer.strip().equalsIgnoreCase("y");
    }
}
