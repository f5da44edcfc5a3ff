package dev.tandem.cluster.settings;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The server settings Tandem itself sets and relies on, each with the reason an operator may not change it through
 * {@code tandem config}: changing one would break failover, replication or Tandem's own connections, or would be
 * undone by the next failover or recovery. Pure data.
 */
public final class OwnedSettings {

    private static final String PER_INSTANCE = "Tandem sets it per instance in postgresql.auto.conf at init, "
            + "recovery and failover";

    private static final Map<String, String> REASONS = Map.ofEntries(
            Map.entry("synchronous_standby_names", "FTS turns synchronous replication on and off per pair, and "
                    + "clears it before promoting a mirror; " + PER_INSTANCE),
            Map.entry("synchronous_commit", "must stay on: no commit that a client saw acknowledged may be lost to "
                    + "a failover (invariant 3)"),
            Map.entry("primary_conninfo", "it names the primary a mirror streams from; " + PER_INSTANCE),
            Map.entry("primary_slot_name", "the mirror's replication slot on its primary; " + PER_INSTANCE),
            Map.entry("port", "the catalog records each instance's port and every tool connects there; "
                    + PER_INSTANCE),
            Map.entry("listen_addresses", "each instance listens on the address the catalog records; "
                    + PER_INSTANCE),
            Map.entry("unix_socket_directories", "instances sharing a host would collide on one socket path: "
                    + "Tandem connects over TCP only"),
            Map.entry("cluster_name", "it names the instance in process titles and logs; " + PER_INSTANCE),
            Map.entry("hot_standby", "mirrors must answer FTS probes and tandem state while they replay"),
            Map.entry("wal_level", "streaming replication and pg_rewind need at least replica"),
            Map.entry("max_wal_senders", "every pair, the standby coordinator and the copies made by recovery "
                    + "need WAL senders; Tandem sizes it at init"),
            Map.entry("max_replication_slots", "each primary keeps a slot for its mirror; Tandem sizes it at init"),
            Map.entry("wal_log_hints", "pg_rewind (incremental recovery) needs it on"),
            Map.entry("password_encryption", "the pg_hba.conf lines Tandem writes accept SCRAM only"),
            Map.entry("restore_command", "witnesses and recovery use it to fetch WAL"),
            Map.entry("recovery_target", "recovery targets would stop a mirror short of its primary"),
            Map.entry("recovery_target_lsn", "recovery targets would stop a mirror short of its primary"),
            Map.entry("recovery_target_name", "recovery targets would stop a mirror short of its primary"),
            Map.entry("recovery_target_time", "recovery targets would stop a mirror short of its primary"),
            Map.entry("recovery_target_xid", "recovery targets would stop a mirror short of its primary"),
            Map.entry("recovery_target_action", "recovery targets would stop a mirror short of its primary"));

    private OwnedSettings() {
    }

    /** Why Tandem keeps {@code name} to itself, or empty when an operator may change it. */
    public static Optional<String> reason(String name) {
        return Optional.ofNullable(REASONS.get(name.toLowerCase(Locale.ROOT)));
    }

    public static boolean owned(String name) {
        return reason(name).isPresent();
    }
}
