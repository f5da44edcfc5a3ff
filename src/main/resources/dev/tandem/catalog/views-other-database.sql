-- Tandem, the catalog seen from everywhere (docs/catalog.md), in every database but the catalog database (template1
-- first: CREATE DATABASE copies it, so databases made later have all of this too). The views read the catalog
-- database's tables through dblink at each query: current, never a copy, and the one writer stays the only writer.
-- Run in one transaction with allow_system_table_mods on for that transaction only. Every statement may run again.

CREATE SCHEMA IF NOT EXISTS tandem;
CREATE EXTENSION IF NOT EXISTS dblink SCHEMA tandem;

-- dblink opens connections as the cluster role here too: only superusers keep it (as in the catalog database)
DO $$
DECLARE f regprocedure;
BEGIN
    FOR f IN SELECT d.objid::regprocedure FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
             WHERE e.extname = 'dblink' AND d.classid = 'pg_proc'::regclass AND d.deptype = 'e'
    LOOP
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
END $$;

-- Where the catalog database is: this very instance, computed at each call, so that a standby coordinator (a copy
-- of these definitions, replayed from WAL) and an activated one read their own catalog database, not the address
-- the definitions were made on. The cluster role's password comes from tandem.pgpass, relative to the backend's
-- working directory, which is the data directory (each coordinator has its own copy). Unix sockets when the
-- instance has them, else its first listen address (Tandem's instances listen on their own address, TCP only).
CREATE OR REPLACE FUNCTION tandem.catalog_conninfo() RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT format('dbname=postgres host=%s port=%s user=%s passfile=tandem.pgpass application_name=%s '
                  'connect_timeout=10',
                  CASE WHEN btrim(split_part(current_setting('unix_socket_directories'), ',', 1)) <> ''
                       THEN btrim(split_part(current_setting('unix_socket_directories'), ',', 1))
                       WHEN btrim(split_part(current_setting('listen_addresses'), ',', 1)) IN ('', '*', '0.0.0.0', '::')
                       THEN 'localhost'
                       ELSE btrim(split_part(current_setting('listen_addresses'), ',', 1)) END,
                  current_setting('port'), current_user, 'tandem_catalog_view')
$$;
REVOKE ALL ON FUNCTION tandem.catalog_conninfo() FROM PUBLIC;

-- SECURITY DEFINER: the owner (the cluster role, a superuser) connects, so any role that may read the view may
-- read the catalog, as in Greenplum, without being given dblink or the password
CREATE OR REPLACE FUNCTION tandem.gp_segment_configuration()
RETURNS TABLE (dbid smallint, content smallint, role "char", preferred_role "char", mode "char", status "char",
               port integer, hostname text, address text, datadir text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT * FROM tandem.dblink(tandem.catalog_conninfo(),
        'SELECT dbid, content, role, preferred_role, mode, status, port, hostname, address, datadir '
        'FROM tandem.gp_segment_configuration')
        AS t(dbid smallint, content smallint, role "char", preferred_role "char", mode "char", status "char",
             port integer, hostname text, address text, datadir text)
$$;

CREATE OR REPLACE FUNCTION tandem.gp_configuration_history()
RETURNS TABLE ("time" timestamptz, dbid smallint, "desc" text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT * FROM tandem.dblink(tandem.catalog_conninfo(),
        'SELECT "time", dbid, "desc" FROM tandem.gp_configuration_history')
        AS t("time" timestamptz, dbid smallint, "desc" text)
$$;

CREATE OR REPLACE VIEW pg_catalog.gp_segment_configuration AS
    SELECT * FROM tandem.gp_segment_configuration();

CREATE OR REPLACE VIEW pg_catalog.gp_configuration_history AS
    SELECT * FROM tandem.gp_configuration_history();

REVOKE ALL ON pg_catalog.gp_segment_configuration, pg_catalog.gp_configuration_history FROM PUBLIC;
GRANT SELECT ON pg_catalog.gp_segment_configuration, pg_catalog.gp_configuration_history TO PUBLIC;
