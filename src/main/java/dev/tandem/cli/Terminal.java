package dev.tandem.cli;

import java.io.Console;

/** Whether we talk to a person at a terminal (prompts, colour, redrawn progress bars) or to a pipe or a file. */
final class Terminal {
    private Terminal() {
    }

    static boolean isTerminal() {
        Console c = System.console();
        if (c == null) return false;
        try {
            // JDK 22+ may return a Console even when output is redirected; isTerminal() tells (absent on JDK 21)
            return (Boolean) Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
