-- Tandem, the catalog seen from everywhere (docs/catalog.md), in the catalog database (postgres): Greenplum's names
-- in pg_catalog, as plain views of the one writer's tables in schema tandem. Run in one transaction with
-- allow_system_table_mods on for that transaction only (PostgreSQL refuses new objects in pg_catalog otherwise).
-- Every statement may run again.

CREATE OR REPLACE VIEW pg_catalog.gp_segment_configuration AS
    SELECT dbid, content, role, preferred_role, mode, status, port, hostname, address, datadir
    FROM tandem.gp_segment_configuration;

CREATE OR REPLACE VIEW pg_catalog.gp_configuration_history AS
    SELECT "time", dbid, "desc" FROM tandem.gp_configuration_history;

-- Greenplum lets every role read them; writing stays the cluster role's, through tandem's tables
REVOKE ALL ON pg_catalog.gp_segment_configuration, pg_catalog.gp_configuration_history FROM PUBLIC;
GRANT SELECT ON pg_catalog.gp_segment_configuration, pg_catalog.gp_configuration_history TO PUBLIC;
