package dev.tandem.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the daemon's HTTP endpoint listens and how it is protected. Loopback by default; on any other address it
 * needs both TLS and a token ({@link #refusal}): a token sent over plain HTTP can be read off the network and
 * replayed, and TLS without a token lets anyone who reaches the port change settings.
 *
 * @param host     address to bind (a literal or a name; {@code 0.0.0.0} is every interface)
 * @param port     TCP port; 0 picks a free one (tests)
 * @param token    the bearer token, read from a file readable only by its owner
 * @param keystore a PKCS#12 key store with the server's key and certificate chain, and its password
 */
public record EndpointConfig(String host, int port, Optional<String> token, Optional<KeyStoreFile> keystore) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 7070;

    public record KeyStoreFile(Path path, String password) {
        public KeyStoreFile {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(password, "password");
        }
    }

    public EndpointConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(keystore, "keystore");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be from 0 to 65535 (was " + port + ")");
        if (token.isPresent() && token.get().isBlank()) throw new IllegalArgumentException("the HTTP token is empty");
    }

    /** {@code HOST:PORT}, {@code [V6]:PORT}, or {@code :PORT} for the default host. */
    public static EndpointConfig listen(String hostPort, Optional<String> token, Optional<KeyStoreFile> keystore) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) throw new IllegalArgumentException("--http must be HOST:PORT (was '" + hostPort + "')");
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        if (host.isEmpty()) host = DEFAULT_HOST;
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--http must be HOST:PORT with a numeric port (was '" + hostPort + "')");
        }
        return new EndpointConfig(host, port, token, keystore);
    }

    public boolean tls() {
        return keystore.isPresent();
    }

    /** Why this configuration must not listen, if it must not. {@code loopback}: whether {@link #host} is one. */
    public Optional<String> refusal(boolean loopback) {
        if (loopback) return Optional.empty();
        if (token.isPresent() && keystore.isPresent()) return Optional.empty();
        String missing = token.isEmpty() && keystore.isEmpty() ? "a token (--http-token-file) and TLS (--http-keystore)"
                : token.isEmpty() ? "a token (--http-token-file)" : "TLS (--http-keystore)";
        return Optional.of("refusing to listen on " + host + ":" + port + " without " + missing
                + ": off a loopback address the HTTP endpoint needs both, or listen on 127.0.0.1");
    }

    /** Whether {@code host} names only this machine (every address it resolves to is a loopback one). */
    public static boolean isLoopback(String host) {
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            for (InetAddress a : all) if (!a.isLoopbackAddress()) return false;
            return all.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
