package dev.tandem.cli;

import picocli.CommandLine;

public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // netty (under jetcd) reaches for sun.misc.Unsafe, and JDK 24+ then prints four lines of warning on stderr
        // for every etcd command; a handful of RPCs a second needs none of what it buys
        if (System.getProperty("io.netty.noUnsafe") == null) System.setProperty("io.netty.noUnsafe", "true");
        System.exit(TandemCommand.commandLine().execute(args));
    }
}
