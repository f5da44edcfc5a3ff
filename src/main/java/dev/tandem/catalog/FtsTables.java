package dev.tandem.catalog;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The FTS daemon's tables in the coordinator database, created with the catalog at init (and again, idempotently,
 * by the daemon and {@code tandem config}): run-time settings, the probe-request sequence and the round status that
 * {@code tandem.request_fts_probe()} waits on. They are part of the catalog schema, as Greenplum's FTS state is part
 * of its catalog, so that a cluster initialised without a daemon still answers {@code tandem config} and
 * {@code tandem fts probe}; reading and writing them is the fts package's business.
 */
public final class FtsTables {

    private FtsTables() {
    }

    public static void create(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS tandem.fts_settings (name text PRIMARY KEY, value text NOT NULL)");
            st.execute("CREATE SEQUENCE IF NOT EXISTS tandem.fts_probe_requests");
            st.execute("""
                    CREATE TABLE IF NOT EXISTS tandem.fts_status (
                        id int PRIMARY KEY CHECK (id = 1),
                        served_request bigint NOT NULL DEFAULT 0,
                        round_started timestamptz,
                        round_finished timestamptz,
                        daemon_host text,
                        daemon_pid int)""");
            // the daemon's HTTP endpoint (docs/observability.md), for tandem state and tandem haproxy-config, added to
            // a cluster made before it by its next daemon. Only when missing: ALTER TABLE takes an exclusive lock even
            // with IF NOT EXISTS, and this runs at every daemon connect, where it would wait behind a
            // request_fts_probe() that holds a share lock while it waits for that very daemon's round
            st.execute("""
                    DO $$ BEGIN
                        IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'tandem.fts_status'::regclass
                                       AND attname = 'http_url' AND NOT attisdropped) THEN
                            ALTER TABLE tandem.fts_status ADD COLUMN http_url text;
                        END IF;
                    END $$""");
            st.execute("INSERT INTO tandem.fts_status (id) VALUES (1) ON CONFLICT DO NOTHING");
            FtsLeaderTerm.create(c);
            st.execute("""
                    CREATE OR REPLACE FUNCTION tandem.request_fts_probe(timeout_seconds float8 DEFAULT 60)
                    RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
                    DECLARE
                        req bigint := nextval('tandem.fts_probe_requests');
                        deadline timestamptz := clock_timestamp() + make_interval(secs => timeout_seconds);
                        served bigint;
                    BEGIN
                        LOOP
                            SELECT s.served_request INTO served FROM tandem.fts_status s WHERE s.id = 1;
                            IF served >= req THEN
                                RETURN true;
                            END IF;
                            IF clock_timestamp() > deadline THEN
                                RAISE EXCEPTION 'no FTS probe round finished within % s', timeout_seconds
                                    USING HINT = 'Is the FTS daemon running? See: tandem fts status';
                            END IF;
                            PERFORM pg_sleep(0.01);
                        END LOOP;
                    END $$""");
        }
    }
}
