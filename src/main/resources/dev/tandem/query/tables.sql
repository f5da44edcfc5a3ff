-- Tandem, query path (docs/query-path.md), 2 of 3: distributed tables (create, undistribute, drop).

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
    -- the move writes every content in this transaction: marked up front (commits.sql), and batched, as the
    -- parent has no row trigger yet (one would make postgres_fdw send the rows one by one)
    PERFORM tandem.ensure_txn_marks();
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.%I)', sch, local) INTO nonempty;
    IF nonempty THEN
        FOR c IN 0 .. n - 1 LOOP
            PERFORM tandem.note_segment_write(c);
        END LOOP;
    END IF;
    EXECUTE format('INSERT INTO %s SELECT * FROM %I.%I', parent, sch, local);
    GET DIAGNOSTICS moved = ROW_COUNT;
    PERFORM tandem.hand_over(format('%I.%I', sch, local)::regclass, parent);
    EXECUTE format('DROP TABLE %I.%I', sch, local);
    DELETE FROM tandem.segment_leftover l WHERE l.segment_schema = sch AND l.segment_table = tbl;
    INSERT INTO tandem.distribution (relid, distribution_column, shard_count, segment_schema, segment_table)
    VALUES (parent, distribution_column, n, sch, tbl);
    PERFORM tandem.detect_partial_commits(parent, true);
    RAISE NOTICE 'table % distributed by % over % segments: % rows moved', parent,
        quote_ident(distribution_column), n, moved;
    RETURN moved;
END $$;
REVOKE ALL ON FUNCTION tandem.create_distributed_table(regclass, name) FROM PUBLIC;

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
