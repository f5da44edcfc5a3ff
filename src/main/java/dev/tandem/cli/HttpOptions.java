package dev.tandem.cli;

import dev.tandem.web.EndpointConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The FTS daemon's HTTP endpoint options ({@code fts run} and {@code fts start}, which hands them on to the daemon it
 * starts). Secrets come from files, never from the command line, where every user of the host can read them
 * ({@code ps}).
 */
public final class HttpOptions {

    @Option(names = "--http", paramLabel = "HOST:PORT", defaultValue = EndpointConfig.DEFAULT_HOST + ":" + EndpointConfig.DEFAULT_PORT,
            description = "Where the HTTP endpoint (/metrics, /api/v1/) listens (default: ${DEFAULT-VALUE}); "
                    + "'off' for none. Off loopback it needs --http-token-file and --http-keystore.")
    String listen;

    @Option(names = "--http-token-file", paramLabel = "FILE",
            description = "File holding the bearer token the endpoint requires (all but health checks; changes always).")
    Path tokenFile;

    @Option(names = "--http-keystore", paramLabel = "FILE", description = "PKCS#12 key store: serve HTTPS with its key.")
    Path keystore;

    @Option(names = "--http-keystore-password-file", paramLabel = "FILE",
            description = "File holding the key store's password (default: empty password).")
    Path keystorePasswordFile;

    /** Empty with {@code --http off}; throws when a file cannot be read or the address is malformed. */
    public Optional<EndpointConfig> config() {
        if ("off".equals(listen)) return Optional.empty();
        Optional<String> token = tokenFile == null ? Optional.empty() : Optional.of(read(tokenFile, "--http-token-file"));
        Optional<EndpointConfig.KeyStoreFile> ks = keystore == null ? Optional.empty()
                : Optional.of(new EndpointConfig.KeyStoreFile(keystore.toAbsolutePath(),
                keystorePasswordFile == null ? "" : read(keystorePasswordFile, "--http-keystore-password-file")));
        return Optional.of(EndpointConfig.listen(listen, token, ks));
    }

    /** The same options as arguments, for the daemon a supervisor starts. */
    public List<String> args() {
        List<String> out = new ArrayList<>(List.of("--http", listen));
        if (tokenFile != null) out.addAll(List.of("--http-token-file", tokenFile.toAbsolutePath().toString()));
        if (keystore != null) out.addAll(List.of("--http-keystore", keystore.toAbsolutePath().toString()));
        if (keystorePasswordFile != null) {
            out.addAll(List.of("--http-keystore-password-file", keystorePasswordFile.toAbsolutePath().toString()));
        }
        return out;
    }

    private static String read(Path file, String option) {
        try {
            String s = Files.readString(file).strip();
            if (s.isEmpty()) throw new IllegalArgumentException(option + " " + file + " is empty");
            return s;
        } catch (IOException e) {
            throw new IllegalArgumentException(option + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
