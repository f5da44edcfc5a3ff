package dev.tandem.cli;

import dev.tandem.cluster.ClusterDescriptor;
import dev.tandem.cluster.EtcdAttachment;
import dev.tandem.dcs.EtcdSettings;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The etcd options of {@code tandem init} and {@code tandem etcd attach} (docs/etcd.md). */
public final class EtcdOptions {

    @Option(names = "--etcd-prefix", paramLabel = "PREFIX",
            description = "Key prefix of this cluster, /.../ (default: /tandem/<coordinator host>-<port>-<id>/).")
    String prefix;

    @Option(names = "--etcd-ca", paramLabel = "FILE", description = "CA certificate (PEM) that signed etcd's certificates.")
    Path ca;

    @Option(names = "--etcd-cert", paramLabel = "FILE", description = "Client certificate (PEM), with --etcd-key.")
    Path cert;

    @Option(names = "--etcd-key", paramLabel = "FILE", description = "Client private key (PEM, PKCS#8).")
    Path key;

    @Option(names = "--etcd-user", paramLabel = "USER", description = "etcd user (with --etcd-password-file).")
    String user;

    @Option(names = "--etcd-password-file", paramLabel = "FILE",
            description = "File whose first line is the etcd user's password (read at each start, never copied).")
    Path passwordFile;

    @Option(names = "--etcd-insecure",
            description = "Allow plaintext (http://) to an endpoint that is not loopback: test networks only.")
    boolean insecure;

    @Option(names = "--etcd-lease-ttl", paramLabel = "SECONDS", defaultValue = "" + EtcdSettings.DEFAULT_LEASE_TTL_SECONDS,
            description = "FTS leader lease: a dead leader is replaced after about this long (default: ${DEFAULT-VALUE}).")
    int leaseTtl;

    @Option(names = "--etcd-prefer-off-coordinator", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "A daemon on the coordinator host campaigns one lease period later than the others "
                    + "(default: ${DEFAULT-VALUE}; --no-etcd-prefer-off-coordinator to turn off).")
    boolean preferOffCoordinator;

    /** With {@code d} null and no --etcd-prefix, the prefix stays null: the default is made once the cluster exists. */
    EtcdSettings settings(List<String> endpoints, ClusterDescriptor d) {
        return new EtcdSettings(endpoints, prefix != null ? prefix : d == null ? null : EtcdAttachment.defaultPrefix(d), text(ca),
                text(cert), text(key), user, text(passwordFile), insecure, leaseTtl, preferOffCoordinator);
    }

    private static String text(Path p) {
        return p == null ? null : p.toAbsolutePath().toString();
    }
}
