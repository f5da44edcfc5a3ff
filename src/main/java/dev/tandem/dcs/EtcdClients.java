package dev.tandem.dcs;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLException;

/** jetcd clients made from {@link EtcdSettings}: the one place TLS and authentication are applied. */
public final class EtcdClients {

    /** How long a connection attempt to one endpoint may take before the client tries another. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration KEEPALIVE_TIME = Duration.ofSeconds(5);
    static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(2);

    private EtcdClients() {
    }

    /** A client for {@code s}; refuses settings with {@link EtcdSettings#problems()}. */
    public static Client open(EtcdSettings s) {
        if (!s.problems().isEmpty()) throw new IllegalArgumentException(String.join("; ", s.problems()));
        ClientBuilder b = Client.builder().endpoints(s.endpoints().stream().map(String::strip).toArray(String[]::new))
                .connectTimeout(CONNECT_TIMEOUT)
                // an endpoint cut off (packets dropped, no reset) keeps its connection "ready" until a keepalive
                // ping goes unanswered: without these, for about 40 s (gRPC's defaults) a third of the calls went to
                // it and timed out, and the leader lost its lease (CoordinatorFailoverIT). 5 s is the shortest ping
                // interval etcd's server accepts by default (--grpc-keepalive-min-time).
                .keepaliveTime(KEEPALIVE_TIME).keepaliveTimeout(KEEPALIVE_TIMEOUT).keepaliveWithoutCalls(true);
        if (s.tls()) {
            try {
                b.sslContext(ssl -> {
                    if (s.caFile() != null) ssl.trustManager(new File(s.caFile()));
                    if (s.certFile() != null) ssl.keyManager(new File(s.certFile()), new File(s.keyFile()));
                });
            } catch (SSLException e) {
                throw new IllegalArgumentException("etcd TLS files unusable: " + e.getMessage(), e);
            }
        }
        if (s.user() != null) {
            b.user(ByteSequence.from(s.user(), StandardCharsets.UTF_8))
                    .password(ByteSequence.from(password(Path.of(s.passwordFile())), StandardCharsets.UTF_8));
        }
        return b.build();
    }

    /** The file's first line: a trailing newline from {@code echo secret > file} is not part of the password. */
    static String password(Path file) {
        try {
            String text = Files.readString(file);
            int nl = text.indexOf('\n');
            return nl < 0 ? text : text.substring(0, nl);
        } catch (IOException e) {
            throw new UncheckedIOException("etcd password file " + file + ": " + e.getMessage(), e);
        }
    }
}
