-- Tandem: distributed tables in the coordinator database (docs/query-path.md).
-- Installed by `tandem init` and, idempotently, by `tandem distributed setup`. Every statement may run again.
-- Identifiers are always built with format('%I') / quote_ident; literals with format('%L').

CREATE EXTENSION IF NOT EXISTS postgres_fdw SCHEMA tandem;
CREATE EXTENSION IF NOT EXISTS dblink SCHEMA tandem;

-- dblink opens connections through the segment servers as the cluster role: only superusers (who may do so
-- anyway) keep it; it also needs USAGE on a server, which no one else is granted
DO $$
DECLARE f regprocedure;
BEGIN
    FOR f IN SELECT d.objid::regprocedure FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
             WHERE e.extname = 'dblink' AND d.classid = 'pg_proc'::regclass AND d.deptype = 'e'
    LOOP
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
END $$;

CREATE TABLE IF NOT EXISTS tandem.distribution (
    relid regclass PRIMARY KEY,
    distribution_column name NOT NULL,
    shard_count int NOT NULL CHECK (shard_count > 0),
    segment_schema name NOT NULL,
    segment_table name NOT NULL,
    created timestamptz NOT NULL DEFAULT now());

-- segment tables no longer behind a coordinator table (after undistribute_table or DROP TABLE); dropped by
-- tandem.drop_segment_leftovers() in a later transaction, see there why not at once
CREATE TABLE IF NOT EXISTS tandem.segment_leftover (
    segment_schema name NOT NULL,
    segment_table name NOT NULL,
    shard_count int NOT NULL,
    since timestamptz NOT NULL DEFAULT now(),
    reason text NOT NULL,
    PRIMARY KEY (segment_schema, segment_table));

CREATE OR REPLACE VIEW tandem.distributed_tables AS
    SELECT d.relid AS table_name, d.distribution_column,
           format('DISTRIBUTED BY (%I)', d.distribution_column) AS distributed_by,
           d.shard_count, d.segment_schema, d.segment_table, d.created
    FROM tandem.distribution d JOIN pg_class c ON c.oid = d.relid;
GRANT SELECT ON tandem.distributed_tables TO PUBLIC;

-- Invariant 7: each content's server names the acting primary the catalog names. Runs after every statement
-- that writes gp_segment_configuration, inside the writer's transaction, so the catalog change and the re-pointing
-- commit together (or not at all). ALTER SERVER makes postgres_fdw drop its cached connections to that server
-- at the next use outside a transaction.
CREATE OR REPLACE FUNCTION tandem.repoint_segment_servers() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    r record;
    opts text[];
    changed integer := 0;
BEGIN
    FOR r IN SELECT content, address, port FROM tandem.gp_segment_configuration
             WHERE content >= 0 AND role = 'p' ORDER BY content
    LOOP
        SELECT srvoptions INTO opts FROM pg_foreign_server WHERE srvname = 'tandem_seg' || r.content;
        CONTINUE WHEN NOT FOUND; -- created by tandem.create_segment_servers
        IF NOT opts @> ARRAY['host=' || r.address, 'port=' || r.port] THEN
            EXECUTE format('ALTER SERVER %I OPTIONS (SET host %L, SET port %L)',
                           'tandem_seg' || r.content, r.address, r.port::text);
            RAISE LOG 'tandem: server tandem_seg% re-pointed to %:% (acting primary in the catalog)',
                r.content, r.address, r.port;
            changed := changed + 1;
        END IF;
    END LOOP;
    RETURN changed;
END $$;

CREATE OR REPLACE FUNCTION tandem.repoint_segment_servers_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM tandem.repoint_segment_servers();
    RETURN NULL;
END $$;

REVOKE ALL ON FUNCTION tandem.repoint_segment_servers() FROM PUBLIC;

DROP TRIGGER IF EXISTS repoint_segment_servers ON tandem.gp_segment_configuration;
CREATE TRIGGER repoint_segment_servers
    AFTER INSERT OR UPDATE OR DELETE ON tandem.gp_segment_configuration
    FOR EACH STATEMENT EXECUTE FUNCTION tandem.repoint_segment_servers_trigger();

-- One server per content, on its acting primary, and a mapping FOR PUBLIC that reaches it as the cluster role.
-- The password is in no catalog: libpq reads it from the passfile named relatively, which a backend resolves
-- against its working directory, the data directory, so the standby coordinator (a copy) finds its own copy.
-- password_required 'false' may be set only by a superuser; it lets a non-superuser's query use the mapping.
CREATE OR REPLACE FUNCTION tandem.create_segment_servers(cluster_role name, passfile text,
                                                         fetch_size integer DEFAULT 1000,
                                                         batch_size integer DEFAULT 1000)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    r record;
    srv name;
    created integer := 0;
BEGIN
    FOR r IN SELECT content, address, port FROM tandem.gp_segment_configuration
             WHERE content >= 0 AND role = 'p' ORDER BY content
    LOOP
        srv := 'tandem_seg' || r.content;
        IF NOT EXISTS (SELECT 1 FROM pg_foreign_server WHERE srvname = srv) THEN
            -- use_remote_estimate: without it the planner, knowing nothing of the segments' rows, runs a join of
            -- co-located partitions on the coordinator instead of pushing it down (docs/query-path.md);
            -- parallel_commit exists from PostgreSQL 15 on; Tandem also runs on 14
            EXECUTE format('CREATE SERVER %I FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host %L, port %L, '
                    || 'dbname %L, passfile %L, async_capable %L, use_remote_estimate %L, fetch_size %L, '
                    || 'batch_size %L, application_name %L%s)',
                    srv, r.address, r.port::text, current_database(), passfile, 'true', 'true',
                    fetch_size::text, batch_size::text, 'tandem_coordinator',
                    CASE WHEN current_setting('server_version_num')::int >= 150000
                         THEN ', parallel_commit ''true''' ELSE '' END);
            created := created + 1;
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_user_mappings WHERE srvname = srv AND usename = 'public') THEN
            EXECUTE format('CREATE USER MAPPING FOR PUBLIC SERVER %I OPTIONS (user %L, password_required %L)',
                           srv, cluster_role, 'false');
        END IF;
    END LOOP;
    PERFORM tandem.repoint_segment_servers();
    RETURN created;
END $$;
REVOKE ALL ON FUNCTION tandem.create_segment_servers(name, text, integer, integer) FROM PUBLIC;

-- The DDL of a table's segment copy: its columns (name, type, NOT NULL), its CHECK constraints, and its primary
-- key and unique constraints, which must contain the distribution column to hold across segments.
CREATE OR REPLACE FUNCTION tandem.segment_table_ddl(rel regclass, distribution_column name,
                                                    segment_schema name, segment_table name)
RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
    cols text;
    cons text;
    dist smallint;
    k record;
BEGIN
    SELECT attnum INTO dist FROM pg_attribute
    WHERE attrelid = rel AND attname = distribution_column AND attnum > 0 AND NOT attisdropped;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'table % has no column %', rel, quote_ident(distribution_column);
    END IF;
    FOR k IN SELECT conname, contype, conkey FROM pg_constraint WHERE conrelid = rel AND contype IN ('p', 'u', 'x')
    LOOP
        IF k.contype = 'x' OR NOT dist = ANY (k.conkey) THEN
            RAISE EXCEPTION 'constraint % of % does not contain the distribution column %', quote_ident(k.conname),
                rel, quote_ident(distribution_column)
                USING HINT = 'A key is checked per segment: it holds across the table only if it contains the '
                    || 'distribution column.';
        END IF;
    END LOOP;
    SELECT string_agg(format('%I %s%s%s', a.attname, format_type(a.atttypid, a.atttypmod),
                             CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
                                  THEN ' COLLATE ' || a.attcollation::regcollation::text ELSE '' END,
                             CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END), ', ' ORDER BY a.attnum)
    INTO cols
    FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
    WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped;
    SELECT string_agg(format(', CONSTRAINT %I %s', conname, pg_get_constraintdef(oid)), '' ORDER BY conname)
    INTO cons
    FROM pg_constraint WHERE conrelid = rel AND contype IN ('p', 'u', 'c');
    RETURN format('CREATE SCHEMA IF NOT EXISTS %I; CREATE TABLE IF NOT EXISTS %I.%I (%s%s)',
                  segment_schema, segment_schema, segment_table, cols, coalesce(cons, ''));
END $$;

-- Moves the sequences a table owns (serial columns) to another table's same-named columns, so that dropping the
-- old table keeps them; copies its owner and its grants.
CREATE OR REPLACE FUNCTION tandem.hand_over(old_rel regclass, new_rel regclass) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    s record;
    g record;
BEGIN
    FOR s IN SELECT d.objid::regclass AS seq, a.attname
             FROM pg_depend d
             JOIN pg_class c ON c.oid = d.objid AND c.relkind = 'S'
             JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
             WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
               AND d.refobjid = old_rel AND d.deptype = 'a'
    LOOP
        EXECUTE format('ALTER SEQUENCE %s OWNED BY %s.%I', s.seq, new_rel, s.attname);
    END LOOP;
    EXECUTE format('ALTER TABLE %s OWNER TO %I', new_rel,
                   (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = old_rel));
    FOR g IN SELECT a.grantee, a.privilege_type, a.is_grantable
             FROM pg_class c, aclexplode(c.relacl) a
             WHERE c.oid = old_rel AND a.grantee <> c.relowner
    LOOP
        EXECUTE format('GRANT %s ON %s TO %s%s', g.privilege_type, new_rel,
                       CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(g.grantee)) END,
                       CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
    END LOOP;
END $$;
REVOKE ALL ON FUNCTION tandem.hand_over(regclass, regclass) FROM PUBLIC;

-- Turns an ordinary table into a hash-distributed one (Greenplum's DISTRIBUTED BY (column)): the same table on
-- every segment primary (its mirror gets it by replication), the rows moved there, and on the coordinator a
-- parent PARTITION BY HASH (column) with one postgres_fdw foreign table per content as its partitions.
-- The segment tables are created through dblink in their own transactions (CREATE TABLE IF NOT EXISTS), before
-- anything else: if this transaction then fails they stay, empty, and a second call reuses them. The rows move
-- through postgres_fdw inside this transaction.
CREATE OR REPLACE FUNCTION tandem.create_distributed_table(table_name regclass, distribution_column name)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    rel regclass := table_name;
    sch name;
    tbl name;
    kind "char";
    n integer;
    ddl text;
    local name;
    part name;
    parent regclass;
    moved bigint;
    nonempty boolean;
BEGIN
    SELECT ns.nspname, c.relname, c.relkind INTO sch, tbl, kind
    FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace WHERE c.oid = rel;
    IF EXISTS (SELECT 1 FROM tandem.distribution WHERE relid = rel) THEN
        RAISE EXCEPTION 'table % is already distributed', rel;
    END IF;
    IF kind <> 'r' THEN
        RAISE EXCEPTION '% is not an ordinary table', rel;
    END IF;
    IF sch IN ('tandem', 'pg_catalog', 'information_schema') THEN
        RAISE EXCEPTION 'tables in schema % cannot be distributed', sch
            USING HINT = 'The cluster role''s search_path begins with "$user", which is schema tandem: '
                || 'create application tables with a schema, e.g. public.' || quote_ident(tbl) || '.';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = rel OR inhparent = rel) THEN
        RAISE EXCEPTION 'table % takes part in inheritance or partitioning', rel;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_constraint WHERE contype = 'f' AND (conrelid = rel OR confrelid = rel)) THEN
        RAISE EXCEPTION 'table % has foreign keys; distributed tables have none', rel;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = rel AND attnum > 0 AND NOT attisdropped
               AND (attidentity <> '' OR attgenerated <> '')) THEN
        RAISE EXCEPTION 'table % has identity or generated columns', rel
            USING HINT = 'Use DEFAULT nextval(...) (serial): the default runs on the coordinator.';
    END IF;
    SELECT count(DISTINCT content) INTO n FROM tandem.gp_segment_configuration WHERE content >= 0;
    IF n = 0 OR n <> (SELECT count(*) FROM pg_foreign_server s
                      JOIN tandem.gp_segment_configuration g ON s.srvname = 'tandem_seg' || g.content
                      WHERE g.role = 'p' AND g.content >= 0) THEN
        RAISE EXCEPTION 'the segment servers are missing' USING HINT = 'Run: tandem distributed setup';
    END IF;
    EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', rel);

    ddl := tandem.segment_table_ddl(rel, distribution_column, sch, tbl);
    FOR c IN 0 .. n - 1 LOOP
        PERFORM tandem.dblink_exec('tandem_seg' || c, ddl);
    END LOOP;

    local := left(tbl, 40) || '_tandem_local';
    EXECUTE format('ALTER TABLE %s RENAME TO %I', rel, local);
    EXECUTE format('CREATE TABLE %I.%I (LIKE %I.%I INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING COMMENTS) '
                   || 'PARTITION BY HASH (%I)', sch, tbl, sch, local, distribution_column);
    parent := format('%I.%I', sch, tbl)::regclass;
    FOR c IN 0 .. n - 1 LOOP
        part := left(tbl, 50) || '_seg' || c;
        EXECUTE format('CREATE FOREIGN TABLE %I.%I PARTITION OF %s FOR VALUES WITH (MODULUS %s, REMAINDER %s) '
                       || 'SERVER %I OPTIONS (schema_name %L, table_name %L)',
                       sch, part, parent, n, c, 'tandem_seg' || c, sch, tbl);
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.%I)', sch, part) INTO nonempty;
        IF nonempty THEN
            RAISE EXCEPTION 'the segment table %.% on content % already holds rows', quote_ident(sch),
                quote_ident(tbl), c USING HINT = 'See tandem.segment_leftover and tandem.drop_segment_leftovers().';
        END IF;
    END LOOP;
    EXECUTE format('INSERT INTO %s SELECT * FROM %I.%I', parent, sch, local);
    GET DIAGNOSTICS moved = ROW_COUNT;
    PERFORM tandem.hand_over(format('%I.%I', sch, local)::regclass, parent);
    EXECUTE format('DROP TABLE %I.%I', sch, local);
    DELETE FROM tandem.segment_leftover l WHERE l.segment_schema = sch AND l.segment_table = tbl;
    INSERT INTO tandem.distribution (relid, distribution_column, shard_count, segment_schema, segment_table)
    VALUES (parent, distribution_column, n, sch, tbl);
    RAISE NOTICE 'table % distributed by % over % segments: % rows moved', parent,
        quote_ident(distribution_column), n, moved;
    RETURN moved;
END $$;
REVOKE ALL ON FUNCTION tandem.create_distributed_table(regclass, name) FROM PUBLIC;

-- ALTER TABLE ... ADD COLUMN for a distributed table: nullable, no default (existing rows on the segments read NULL,
-- as they would on one table). The segments first, each in its own transaction (IF NOT EXISTS): if the coordinator's
-- part then fails, the segments carry a column the coordinator does not read, and a second call finishes the job.
-- Then the parent, which adds the column to its foreign partitions too. Safe to call again.
CREATE OR REPLACE FUNCTION tandem.add_distributed_column(table_name regclass, column_name name, column_type text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    d tandem.distribution;
    typ text;
BEGIN
    SELECT * INTO d FROM tandem.distribution WHERE relid = table_name;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'table % is not distributed', table_name;
    END IF;
    EXECUTE format('SELECT pg_typeof(NULL::%s)::text', column_type) INTO typ; -- a type, or an error here
    FOR c IN 0 .. d.shard_count - 1 LOOP
        PERFORM tandem.dblink_exec('tandem_seg' || c,
            format('SET lock_timeout = %L; ALTER TABLE %I.%I ADD COLUMN IF NOT EXISTS %I %s', '5s',
                   d.segment_schema, d.segment_table, column_name, column_type));
    END LOOP;
    EXECUTE format('ALTER TABLE %s ADD COLUMN IF NOT EXISTS %I %s', table_name, column_name, column_type);
END $$;
REVOKE ALL ON FUNCTION tandem.add_distributed_column(regclass, name, text) FROM PUBLIC;

-- ALTER TABLE ... DROP COLUMN for a distributed table: the segments first (IF EXISTS, own transactions), then the
-- parent. Between the two, or if the coordinator's part fails, queries of the table fail on the missing column
-- until a second call completes it. Not the distribution column.
CREATE OR REPLACE FUNCTION tandem.drop_distributed_column(table_name regclass, column_name name)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    d tandem.distribution;
BEGIN
    SELECT * INTO d FROM tandem.distribution WHERE relid = table_name;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'table % is not distributed', table_name;
    END IF;
    IF column_name = d.distribution_column THEN
        RAISE EXCEPTION 'column % is the distribution column of %', quote_ident(column_name), table_name;
    END IF;
    FOR c IN 0 .. d.shard_count - 1 LOOP
        PERFORM tandem.dblink_exec('tandem_seg' || c,
            format('SET lock_timeout = %L; ALTER TABLE %I.%I DROP COLUMN IF EXISTS %I', '5s',
                   d.segment_schema, d.segment_table, column_name));
    END LOOP;
    IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = table_name AND attname = column_name
               AND NOT attisdropped) THEN
        EXECUTE format('ALTER TABLE %s DROP COLUMN %I', table_name, column_name);
    END IF;
END $$;
REVOKE ALL ON FUNCTION tandem.drop_distributed_column(regclass, name) FROM PUBLIC;

-- Brings a distributed table's rows back into an ordinary table on the coordinator, in the caller's transaction.
-- The segment tables stay (listed in tandem.segment_leftover) until tandem.drop_segment_leftovers() runs in a
-- later transaction: this transaction's postgres_fdw sessions hold locks on them until it commits, and dropping
-- them any earlier could not be undone if this transaction then failed.
CREATE OR REPLACE FUNCTION tandem.undistribute_table(table_name regclass) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    d tandem.distribution;
    sch name;
    tbl name;
    local name;
    moved bigint;
BEGIN
    SELECT * INTO d FROM tandem.distribution WHERE relid = table_name;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'table % is not distributed', table_name;
    END IF;
    SELECT ns.nspname, c.relname INTO sch, tbl
    FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace WHERE c.oid = table_name;
    EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', table_name);
    local := left(tbl, 40) || '_tandem_local';
    EXECUTE format('CREATE TABLE %I.%I (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING COMMENTS)',
                   sch, local, table_name);
    EXECUTE format('INSERT INTO %I.%I SELECT * FROM %s', sch, local, table_name);
    GET DIAGNOSTICS moved = ROW_COUNT;
    PERFORM tandem.hand_over(table_name, format('%I.%I', sch, local)::regclass);
    DELETE FROM tandem.distribution WHERE relid = table_name;
    EXECUTE format('DROP TABLE %s', table_name); -- its foreign partitions with it
    EXECUTE format('ALTER TABLE %I.%I RENAME TO %I', sch, local, tbl);
    INSERT INTO tandem.segment_leftover (segment_schema, segment_table, shard_count, reason)
    VALUES (d.segment_schema, d.segment_table, d.shard_count, 'undistribute_table')
    ON CONFLICT (segment_schema, segment_table) DO UPDATE SET since = now(), reason = excluded.reason;
    RAISE NOTICE 'table %.% is local again: % rows; its segment tables are dropped by '
        'SELECT tandem.drop_segment_leftovers() once this transaction has committed', quote_ident(sch),
        quote_ident(tbl), moved;
    RETURN moved;
END $$;
REVOKE ALL ON FUNCTION tandem.undistribute_table(regclass) FROM PUBLIC;

-- DROP TABLE of a distributed table: its metadata goes in the same transaction, its segment tables become
-- leftovers (see undistribute_table for why they are not dropped at once). It runs for every role's DROP, as that
-- role: SECURITY DEFINER, or a role without rights on tandem.distribution could drop none of its own tables.
CREATE OR REPLACE FUNCTION tandem.on_sql_drop() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    o record;
    d tandem.distribution;
BEGIN
    FOR o IN SELECT * FROM pg_event_trigger_dropped_objects() WHERE object_type = 'table' LOOP
        DELETE FROM tandem.distribution WHERE relid = o.objid RETURNING * INTO d;
        IF FOUND THEN
            INSERT INTO tandem.segment_leftover (segment_schema, segment_table, shard_count, reason)
            VALUES (d.segment_schema, d.segment_table, d.shard_count, 'DROP TABLE')
            ON CONFLICT (segment_schema, segment_table) DO UPDATE SET since = now(), reason = excluded.reason;
        END IF;
    END LOOP;
END $$;

DROP EVENT TRIGGER IF EXISTS tandem_sql_drop;
CREATE EVENT TRIGGER tandem_sql_drop ON sql_drop EXECUTE FUNCTION tandem.on_sql_drop();

-- Drops the segment tables listed as leftovers, each on every content, then forgets them. Meant to run in its own
-- transaction after the one that made them leftovers has committed. Run inside that same transaction, its
-- postgres_fdw sessions still hold locks on the segment tables and the remote DROP would wait for them forever
-- (a wait across servers no deadlock detector sees): the remote lock_timeout turns that into an error.
CREATE OR REPLACE FUNCTION tandem.drop_segment_leftovers() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    l record;
    dropped integer := 0;
BEGIN
    FOR l IN SELECT * FROM tandem.segment_leftover ORDER BY segment_schema, segment_table FOR UPDATE LOOP
        IF EXISTS (SELECT 1 FROM tandem.distribution
                   WHERE segment_schema = l.segment_schema AND segment_table = l.segment_table) THEN
            DELETE FROM tandem.segment_leftover
            WHERE segment_schema = l.segment_schema AND segment_table = l.segment_table;
            CONTINUE; -- distributed again since: the tables are in use
        END IF;
        FOR c IN 0 .. l.shard_count - 1 LOOP
            PERFORM tandem.dblink_exec('tandem_seg' || c,
                format('SET lock_timeout = %L; DROP TABLE IF EXISTS %I.%I', '2s', l.segment_schema,
                       l.segment_table));
        END LOOP;
        DELETE FROM tandem.segment_leftover
        WHERE segment_schema = l.segment_schema AND segment_table = l.segment_table;
        dropped := dropped + 1;
    END LOOP;
    RETURN dropped;
END $$;
REVOKE ALL ON FUNCTION tandem.drop_segment_leftovers() FROM PUBLIC;
