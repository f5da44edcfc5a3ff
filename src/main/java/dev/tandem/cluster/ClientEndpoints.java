package dev.tandem.cluster;

import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.Segment;
import dev.tandem.cluster.ConnectionUri.Endpoint;
import dev.tandem.dcs.EtcdClients;
import dev.tandem.dcs.PublishedCoordinator;
import io.etcd.jetcd.Client;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Where clients connect, per content, for {@code tandem connstr}: from the catalog when the coordinator answers;
 * otherwise from the coordinator etcd names (an activation publishes it) and its catalog, else from the last catalog
 * snapshot in the coordinator's data directory ({@code gpsegconfig_dump.json}) with that published coordinator first.
 * A snapshot can be behind a relocation ({@code recoverseg -i}), never behind a failover that matters here: a pair's
 * URI lists both of its instances whatever their roles.
 */
public final class ClientEndpoints {

    /** @param source where the endpoints were read, for the operator */
    public record Found(Map<Integer, List<Endpoint>> byContent, String source) {
    }

    private ClientEndpoints() {
    }

    /** {@code notes} gets one line per source that did not answer, and why. */
    public static Found collect(Cluster cluster, Consumer<String> notes) {
        ClusterDescriptor d = cluster.descriptor();
        try (Connection c = cluster.coordinatorConnection()) {
            return new Found(ConnectionUri.byContent(CatalogStore.read(c)), "the catalog on the coordinator "
                    + d.coordinatorAddress() + ":" + d.coordinatorPort());
        } catch (SQLException e) {
            notes.accept("the coordinator " + d.coordinatorAddress() + ":" + d.coordinatorPort() + " does not answer ("
                    + e.getMessage() + ")");
        }
        Optional<PublishedCoordinator> published = published(d, notes);
        if (published.isPresent()) {
            PublishedCoordinator p = published.get();
            try (Connection c = cluster.connector().open(p.address(), p.port(), Cluster.CONNECT_TIMEOUT)) {
                return new Found(ConnectionUri.byContent(CatalogStore.read(c)), "the catalog on the coordinator etcd "
                        + "names, " + p.address() + ":" + p.port());
            } catch (SQLException e) {
                notes.accept("the coordinator etcd names, " + p.address() + ":" + p.port() + ", does not answer ("
                        + e.getMessage() + ")");
            }
        }
        Map<Integer, List<Endpoint>> snapshot = ConfigSnapshot.read(d).map(ConnectionUri::byContent)
                .orElseGet(TreeMap::new);
        String source = snapshot.isEmpty() ? "tandem.json (coordinator only: no catalog snapshot)"
                : "the catalog snapshot " + d.datadir().resolve(ConfigSnapshot.FILE);
        Map<Integer, List<Endpoint>> out = new TreeMap<>(snapshot);
        List<Endpoint> coordinators = out.getOrDefault(Segment.COORDINATOR_CONTENT,
                List.of(new Endpoint(d.coordinatorAddress(), d.coordinatorPort())));
        if (published.isPresent()) {
            coordinators = ConnectionUri.first(new Endpoint(published.get().address(), published.get().port()), coordinators);
            source += ", the coordinator from etcd";
        }
        out.put(Segment.COORDINATOR_CONTENT, coordinators);
        return new Found(out, source);
    }

    private static Optional<PublishedCoordinator> published(ClusterDescriptor d, Consumer<String> notes) {
        if (d.etcd() == null) return Optional.empty();
        try (Client c = EtcdClients.open(d.etcd())) {
            return PublishedCoordinator.read(c, d.etcd());
        } catch (Exception e) {
            notes.accept("etcd does not answer (" + e.getMessage() + "): the coordinator it may name is not known");
            return Optional.empty();
        }
    }
}
