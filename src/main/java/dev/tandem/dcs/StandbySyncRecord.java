package dev.tandem.dcs;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.util.Optional;

/**
 * The value of {@code <prefix>coordinator/standby}: whether the standby coordinator {@code dbid} is known to hold
 * every commit the coordinator acknowledged. Written {@code in_sync: false} <b>before</b> synchronous replication is
 * turned off on the coordinator, and {@code true} only once the standby streams in sync again (Patroni's synchronous
 * mode). An automatic activation requires {@code in_sync: true} for the very standby it activates: a standby that
 * missed its own "marked down" catalog row is then never activated, because etcd, not its catalog, says so.
 */
public record StandbySyncRecord(int dbid, String host, String address, int port, String datadir,
                                @JsonProperty("in_sync") boolean inSync, String since, String why) {

    public String toJson() {
        try {
            return CoordinatorRecord.JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Empty for a value this version cannot read: treated as no record (never activated on it). */
    public static Optional<StandbySyncRecord> fromJson(String json) {
        try {
            StandbySyncRecord r = CoordinatorRecord.JSON.readValue(json, StandbySyncRecord.class);
            return r.address() == null || r.datadir() == null ? Optional.empty() : Optional.of(r);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public String location() {
        return address + ":" + port + " " + datadir;
    }
}
