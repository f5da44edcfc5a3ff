package dev.tandem.cli;

import picocli.CommandLine.Option;

/** {@code -v}: debug lines too (gpstate, gprecoverseg, gpactivatestandby). Read with {@link LogOptions}. */
public final class VerboseOption {

    @Option(names = {"-v", "--verbose"}, description = "Verbose: also print debug lines.")
    boolean verbose;
}
