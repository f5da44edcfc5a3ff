package dev.tandem.state;

import dev.tandem.dcs.CoordinatorKeys;
import dev.tandem.dcs.CoordinatorRecord;
import dev.tandem.dcs.EtcdClients;
import dev.tandem.dcs.EtcdSettings;
import dev.tandem.dcs.StandbySyncRecord;
import io.etcd.jetcd.Client;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Two lines of {@code tandem state} on a cluster attached to etcd: the coordinator etcd publishes, and whether the
 * FTS leader would activate the standby automatically, by the standby's sync record (docs/etcd.md). A standby that is
 * not recorded in sync is said to be left to the operator, with the record's reason.
 */
final class CoordinatorFailoverView {

    private CoordinatorFailoverView() {
    }

    static List<String> lines(EtcdSettings s) {
        try (Client c = EtcdClients.open(s)) {
            CoordinatorKeys keys = new CoordinatorKeys(c, s, CoordinatorKeys.FIRST_CALL_TIMEOUT);
            return lines(keys.coordinator(), keys.standby());
        } catch (CoordinatorKeys.EtcdUnavailable e) {
            return List.of(String.format("%-28s = unknown: %s", "Automatic activation", e.getMessage()));
        }
    }

    static List<String> lines(Optional<CoordinatorRecord> coordinator, Optional<StandbySyncRecord> standby) {
        List<String> out = new ArrayList<>();
        out.add(String.format("%-28s = %s", "Coordinator (etcd)", coordinator
                .map(r -> r.location() + " (dbid " + r.dbid() + ", since " + r.since() + ", term " + r.term() + ")")
                .orElse("not published (the coordinator of tandem.json)")));
        out.add(String.format("%-28s = %s", "Automatic activation", standby.map(CoordinatorFailoverView::say)
                .orElse("OFF: etcd has no record of a standby coordinator in sync; a lost coordinator waits for "
                        + "tandem activatestandby")));
        return out;
    }

    private static String say(StandbySyncRecord r) {
        if (r.inSync()) {
            return "on: standby " + r.location() + " (dbid " + r.dbid() + ") in sync since " + r.since();
        }
        if (r.dbid() == 0) return "OFF: no standby coordinator (" + r.why() + ")";
        return "OFF: standby " + r.location() + " (dbid " + r.dbid() + ") NOT in sync since " + r.since() + " ("
                + r.why() + "); it will not be activated automatically";
    }
}
