-- Tandem, query path (docs/query-path.md), 3 of 3: columns of distributed tables.

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
