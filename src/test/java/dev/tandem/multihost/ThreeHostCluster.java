package dev.tandem.multihost;

import dev.tandem.catalog.Segment;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.drill.InProcessFts;
import dev.tandem.testing.Sql;
import dev.tandem.testing.TestCluster;
import dev.tandem.testing.netns.NetnsCluster;
import dev.tandem.testing.netns.NetnsHosts;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;

/**
 * The cluster the multi-host integration tests share: the coordinator on this machine, two segment hosts that are
 * network namespaces reached only through ssh, one primary per segment host with spread mirrors (content 0: primary
 * on host 1, mirror on host 2; content 1: the reverse), FTS in this JVM with default settings. Where namespace hosts
 * cannot be made (no root, sshd or nft), the calling test is skipped with the reason.
 */
final class ThreeHostCluster implements AutoCloseable {

    private final NetnsHosts hosts;
    private final NetnsCluster nc;
    private InProcessFts fts;

    private ThreeHostCluster(NetnsHosts hosts, NetnsCluster nc) {
        this.hosts = hosts;
        this.nc = nc;
    }

    static ThreeHostCluster start(String name) {
        Optional<String> impossible = NetnsHosts.unavailable();
        impossible.ifPresent(reason -> System.out.println("[netns] SKIPPED: " + reason));
        Assumptions.assumeTrue(impossible.isEmpty(), () -> impossible.orElseThrow());
        NetnsHosts hosts = NetnsHosts.up(2);
        ThreeHostCluster c = null;
        try {
            c = new ThreeHostCluster(hosts, NetnsCluster.create(hosts, name, 1, MirrorMode.SPREAD));
            c.fts = TestCluster.startFts(c.nc.cluster());
            return c;
        } catch (RuntimeException e) {
            if (c != null) c.close();
            else hosts.close();
            throw e;
        }
    }

    NetnsHosts hosts() {
        return hosts;
    }

    NetnsCluster nc() {
        return nc;
    }

    /** Stops FTS for good, for a test about what an operator does without it. */
    void stopFts() {
        fts.stop();
    }

    Set<Long> rowsOn(Segment s, String table) throws Exception {
        Set<Long> out = new HashSet<>();
        for (List<String> r : Sql.rows(nc.cluster(), s, "SELECT id FROM " + table)) out.add(Long.parseLong(r.get(0)));
        return out;
    }

    @Override
    public void close() {
        if (fts != null) fts.close();
        nc.close();
        hosts.close();
    }
}
