package dev.tandem.dcs;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.GetResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The coordinator as published in etcd under {@link EtcdSettings#coordinatorKey()} by whoever activated it, so that a
 * control host whose {@code tandem.json} still names the old coordinator (and clients' tooling) can find the new one
 * without reaching either coordinator. Written by an activation, read by {@code tandem connstr}.
 */
public record PublishedCoordinator(String host, String address, int port, String datadir, String since) {

    static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Empty when the key is absent or not this shape. */
    public static Optional<PublishedCoordinator> fromJson(String json) {
        try {
            PublishedCoordinator c = JSON.readValue(json, PublishedCoordinator.class);
            return c.address() == null || c.port() < 1 ? Optional.empty() : Optional.of(c);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A quorum read of the key, bounded; throws when etcd does not answer (the caller says so and goes on). */
    public static Optional<PublishedCoordinator> read(Client c, EtcdSettings s) throws Exception {
        GetResponse g = c.getKVClient().get(LeaderElection.bytes(s.coordinatorKey()))
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (g.getKvs().isEmpty()) return Optional.empty();
        return fromJson(g.getKvs().get(0).getValue().toString(StandardCharsets.UTF_8));
    }

    /** Writes the key (no lease: it must outlive whoever wrote it), bounded. */
    public void publish(Client c, EtcdSettings s) throws Exception {
        c.getKVClient().put(LeaderElection.bytes(s.coordinatorKey()), LeaderElection.bytes(toJson()))
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
