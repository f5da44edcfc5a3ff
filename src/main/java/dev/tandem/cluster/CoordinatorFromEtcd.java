package dev.tandem.cluster;

import dev.tandem.dcs.CoordinatorKeys;
import dev.tandem.dcs.CoordinatorRecord;
import dev.tandem.dcs.EtcdClients;
import dev.tandem.dcs.EtcdSettings;
import io.etcd.jetcd.Client;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which coordinator an FTS daemon runs against, on a cluster attached to etcd: the one etcd publishes at
 * {@code <prefix>coordinator} (the FTS leader writes it when it activates the standby), else the one of the local
 * {@code tandem.json}. A daemon on a control host whose tandem.json names a lost coordinator thus follows the new
 * one. When etcd does not answer, tandem.json is used and said: the daemon's coordinator watch moves it later.
 */
public final class CoordinatorFromEtcd {

    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorFromEtcd.class);

    private CoordinatorFromEtcd() {
    }

    public static Cluster follow(Cluster local) {
        EtcdSettings s = local.descriptor().etcd();
        if (s == null) return local;
        try (Client c = EtcdClients.open(s)) {
            return follow(local, new CoordinatorKeys(c, s, CoordinatorKeys.FIRST_CALL_TIMEOUT).coordinator());
        } catch (CoordinatorKeys.EtcdUnavailable e) {
            LOG.warn("the coordinator is taken from tandem.json ({}:{}): etcd did not say which it is ({})",
                    local.descriptor().coordinatorAddress(), local.descriptor().coordinatorPort(), e.getMessage());
            return local;
        }
    }

    static Cluster follow(Cluster local, Optional<CoordinatorRecord> published) {
        ClusterDescriptor d = local.descriptor();
        if (published.isEmpty()
                || published.get().names(d.coordinatorAddress(), d.coordinatorPort(), d.coordinatorDatadir())) {
            return local;
        }
        CoordinatorRecord r = published.get();
        LOG.info("the coordinator is {} (dbid {}, published in etcd since {}, term {}), not {}:{} as tandem.json says",
                r.location(), r.dbid(), r.since(), r.term(), d.coordinatorAddress(), d.coordinatorPort());
        return local.following(d.withCoordinator(r.host(), r.address(), r.port(), r.datadir()));
    }
}
