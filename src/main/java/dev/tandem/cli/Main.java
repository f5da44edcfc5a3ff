package dev.tandem.cli;

import picocli.CommandLine;

public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(TandemCommand.commandLine().execute(args));
    }
}
