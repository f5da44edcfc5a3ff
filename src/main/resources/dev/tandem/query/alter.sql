-- Tandem, query path (docs/query-path.md), 5 of 5: a plain ALTER TABLE on a distributed table.
--
-- Two event triggers. At ddl_command_start of ALTER TABLE / ALTER FOREIGN TABLE the columns of every distributed
-- table are kept in a transaction-local setting; at ddl_command_end they are compared with the catalog, which
-- the command has changed by then. Why both: in PostgreSQL 15 an event trigger written in SQL cannot read what an
-- ALTER TABLE does (pg_event_trigger_ddl_commands() gives the table but its subcommands only as an opaque
-- pg_ddl_command), and the start alone sees the command's text only. Comparing the columns by attnum before and
-- after tells an added column, a dropped one, a renamed one and a changed type apart, whatever the text said.
-- Added (nullable, no default) and dropped columns are propagated to the segments, the way
-- tandem.add_distributed_column / drop_distributed_column do; any other change of a column is refused, which rolls
-- the command back. Everything else (defaults, which the coordinator evaluates; comments; owner; renaming the
-- table, whose partitions name their segment tables explicitly) passes untouched.

-- Every distributed table's columns: {relid: {attnum: {name, type, notnull}}}.
CREATE OR REPLACE FUNCTION tandem.distributed_columns() RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT coalesce(jsonb_object_agg(d.relid::oid::text, (
        SELECT coalesce(jsonb_object_agg(a.attnum::text, jsonb_build_object(
                   'name', a.attname,
                   'type', format_type(a.atttypid, a.atttypmod)
                           || CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
                                   THEN ' COLLATE ' || a.attcollation::regcollation::text ELSE '' END,
                   'notnull', a.attnotnull,
                   'default', a.atthasdef)), '{}')
        FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
        WHERE a.attrelid = d.relid AND a.attnum > 0 AND NOT a.attisdropped)), '{}')
    FROM tandem.distribution d
$$;

-- SECURITY DEFINER (as on_sql_drop): a table's owner may ALTER it without any right on Tandem's tables, and the
-- propagation goes through dblink, which only superusers keep.
CREATE OR REPLACE FUNCTION tandem.on_alter_table_start() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM set_config('tandem.columns_before_alter', tandem.distributed_columns()::text, true);
END $$;

CREATE OR REPLACE FUNCTION tandem.on_alter_table_end() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    before jsonb := coalesce(nullif(current_setting('tandem.columns_before_alter', true), ''), '{}')::jsonb;
    after jsonb := tandem.distributed_columns();
    d record;
    was jsonb;
    now_ jsonb;
    o jsonb;
    n jsonb;
    k text;
    actions text[];
BEGIN
    FOR d IN SELECT * FROM tandem.distribution ORDER BY relid LOOP
        was := before -> (d.relid::oid::text);
        now_ := after -> (d.relid::oid::text);
        CONTINUE WHEN was IS NULL OR now_ IS NULL OR was = now_;
        actions := '{}';
        FOR k IN SELECT jsonb_object_keys(was) LOOP
            o := was -> k;
            n := now_ -> k;
            IF n IS NULL THEN
                actions := actions || format('DROP COLUMN IF EXISTS %I', o ->> 'name');
            ELSIF n ->> 'name' <> o ->> 'name' THEN
                RAISE EXCEPTION 'cannot rename column % of distributed table % to %', quote_ident(o ->> 'name'),
                    d.relid, quote_ident(n ->> 'name')
                    USING HINT = 'The segments would keep the old name. Add a column, copy the values, drop the '
                        || 'old one (ALTER TABLE ... ADD COLUMN / DROP COLUMN are propagated).';
            ELSIF n ->> 'type' <> o ->> 'type' THEN
                RAISE EXCEPTION 'cannot change the type of column % of distributed table % (% to %)',
                    quote_ident(o ->> 'name'), d.relid, o ->> 'type', n ->> 'type'
                    USING HINT = 'The segments would keep the old type. Add a column of the new type, copy the '
                        || 'values, drop the old one; or tandem.undistribute_table, ALTER, '
                        || 'tandem.create_distributed_table.';
            ELSIF n -> 'notnull' <> o -> 'notnull' THEN
                RAISE EXCEPTION 'cannot % NOT NULL on column % of distributed table %',
                    CASE WHEN (n ->> 'notnull')::boolean THEN 'set' ELSE 'drop' END, quote_ident(o ->> 'name'),
                    d.relid USING HINT = 'The segments check NOT NULL, not the coordinator; Tandem does not '
                        || 'propagate it: tandem.undistribute_table, ALTER, tandem.create_distributed_table.';
            END IF;
        END LOOP;
        FOR k IN SELECT jsonb_object_keys(now_) EXCEPT SELECT jsonb_object_keys(was) ORDER BY 1 LOOP
            n := now_ -> k;
            IF (n ->> 'notnull')::boolean OR (n ->> 'default')::boolean THEN
                RAISE EXCEPTION 'column % added to distributed table % must be nullable and have no default',
                    quote_ident(n ->> 'name'), d.relid
                    USING HINT = 'Rows already on the segments would not get the default. Add it without one '
                        || 'and then ALTER COLUMN ... SET DEFAULT (the coordinator fills it in for new rows), '
                        || 'or UPDATE the existing rows.';
            END IF;
            actions := actions || format('ADD COLUMN IF NOT EXISTS %I %s', n ->> 'name', n ->> 'type');
        END LOOP;
        CONTINUE WHEN cardinality(actions) = 0;
        -- the segments' DDL commits on its own, as in add_distributed_column: an added column that the
        -- coordinator then rolls back stays unread on the segments; a dropped one is gone there
        FOR c IN 0 .. d.shard_count - 1 LOOP
            PERFORM tandem.dblink_exec('tandem_seg' || c,
                format('SET lock_timeout = %L; ALTER TABLE %I.%I %s', '5s', d.segment_schema, d.segment_table,
                       array_to_string(actions, ', ')));
        END LOOP;
        RAISE NOTICE 'distributed table %: % on its % segments', d.relid, array_to_string(actions, ', '),
            d.shard_count;
    END LOOP;
END $$;

DROP EVENT TRIGGER IF EXISTS tandem_alter_table_start;
CREATE EVENT TRIGGER tandem_alter_table_start ON ddl_command_start
    WHEN TAG IN ('ALTER TABLE', 'ALTER FOREIGN TABLE') EXECUTE FUNCTION tandem.on_alter_table_start();
DROP EVENT TRIGGER IF EXISTS tandem_alter_table_end;
CREATE EVENT TRIGGER tandem_alter_table_end ON ddl_command_end
    WHEN TAG IN ('ALTER TABLE', 'ALTER FOREIGN TABLE') EXECUTE FUNCTION tandem.on_alter_table_end();
