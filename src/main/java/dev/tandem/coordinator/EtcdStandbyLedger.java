package dev.tandem.coordinator;

import dev.tandem.catalog.FencingToken;
import dev.tandem.catalog.Segment;
import dev.tandem.dcs.CoordinatorKeys;
import dev.tandem.dcs.StandbySyncRecord;
import dev.tandem.time.Time;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link StandbyLedger} on etcd's {@code <prefix>coordinator/standby}, written only under the leader's term. A record
 * equal to the last one this daemon wrote is not written again (the watch confirms "in sync" every round); a new
 * leader writes once. Confined to the standby watch's thread.
 */
public final class EtcdStandbyLedger implements StandbyLedger {

    private static final Logger LOG = LoggerFactory.getLogger(EtcdStandbyLedger.class);

    private final CoordinatorKeys keys;
    private final Time time;
    private String written = "";

    public EtcdStandbyLedger(CoordinatorKeys keys, Time time) {
        this.keys = keys;
        this.time = time;
    }

    @Override
    public boolean record(Optional<Segment> standby, boolean inSync, String why, Optional<FencingToken> token) {
        if (token.isEmpty()) return false; // only a leader's word counts
        String same = standby.map(s -> s.dbid() + "").orElse("none") + "/" + inSync + "/" + token.get().term();
        if (same.equals(written)) return true;
        StandbySyncRecord r = standby.map(s -> new StandbySyncRecord(s.dbid(), s.hostname(), s.address(), s.port(),
                        s.datadir(), inSync, time.now().toString(), why))
                .orElse(new StandbySyncRecord(0, "", "", 0, "", false, time.now().toString(), why));
        try {
            if (!keys.record(r, token.get().term())) {
                LOG.warn("standby sync state not recorded in etcd: FTS term {} no longer leads", token.get().term());
                return false;
            }
        } catch (CoordinatorKeys.EtcdUnavailable e) {
            LOG.warn("standby sync state not recorded in etcd: {}", e.getMessage());
            return false;
        }
        written = same;
        LOG.info("standby coordinator recorded in etcd as {}: {}{}", inSync ? "IN SYNC" : "NOT in sync", why,
                standby.map(s -> " (" + s.subject() + " " + s.location() + ")").orElse(" (no standby)"));
        return true;
    }
}
