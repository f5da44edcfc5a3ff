-- Tandem, query path (docs/query-path.md), 4 of 5: multi-segment writes whose commit applied on some segments only.
--
-- postgres_fdw commits a transaction's remote transactions in its pre-commit callback, then the coordinator
-- commits; there is no two-phase commit. If one segment's COMMIT fails after another's succeeded, the coordinator's
-- transaction aborts while the other segment keeps the rows. To find such a transaction afterwards, a transaction
-- that writes (INSERT, COPY) on a second segment leaves a mark row on every segment it writes, inside each segment's
-- own remote transaction (a foreign table on the same server uses the same postgres_fdw connection): a mark commits
-- exactly when that segment's part commits. The mark names the coordinator's transaction id; the coordinator's
-- commit log then tells whether the coordinator committed it. Committed on a segment, aborted on the coordinator:
-- partial. A transaction that writes one segment pays only a look at a transaction-local setting per row.

ALTER TABLE tandem.distribution ADD COLUMN IF NOT EXISTS detect_partial_commits boolean NOT NULL DEFAULT true;

-- The mark table on every segment (its mirror gets it by replication) and, on the coordinator, one foreign table
-- tandem.txn_marks_seg<N> per content on the content's server. Idempotent.
CREATE OR REPLACE FUNCTION tandem.ensure_txn_marks() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    s record;
    made integer := 0;
BEGIN
    FOR s IN SELECT srvname, substr(srvname, 11)::int AS content FROM pg_foreign_server
             WHERE srvname ~ '^tandem_seg[0-9]+$' ORDER BY 2
    LOOP
        PERFORM tandem.dblink_exec(s.srvname, 'CREATE SCHEMA IF NOT EXISTS tandem; '
            || 'CREATE TABLE IF NOT EXISTS tandem.txn_marks (system_identifier bigint NOT NULL, '
            || 'coordinator_txid bigint NOT NULL, content int NOT NULL, segments int[] NOT NULL, '
            || 'marked timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (system_identifier, coordinator_txid))');
        IF to_regclass('tandem.txn_marks_seg' || s.content) IS NULL THEN
            EXECUTE format('CREATE FOREIGN TABLE tandem.%I (system_identifier bigint NOT NULL, '
                           || 'coordinator_txid bigint NOT NULL, content int NOT NULL, segments int[] NOT NULL, '
                           || 'marked timestamptz NOT NULL) SERVER %I '
                           || 'OPTIONS (schema_name %L, table_name %L)',
                           'txn_marks_seg' || s.content, s.srvname, 'tandem', 'txn_marks');
            made := made + 1;
        END IF;
    END LOOP;
    RETURN made;
END $$;
REVOKE ALL ON FUNCTION tandem.ensure_txn_marks() FROM PUBLIC;

-- This transaction writes on content `content`. The set of contents written so far lives in a transaction-local
-- setting: it ends with the transaction, and a rolled-back subtransaction reverts it together with the marks its
-- remote savepoints undo. At the second content, both get a mark; every further content gets one when first
-- written. txid_current() gives the coordinator's transaction an id (and a commit record) if it had none, which
-- is what lets the coordinator's commit log answer for it later. SECURITY DEFINER: an application role writing a
-- distributed table has no rights on the mark tables; the PUBLIC user mapping makes the definer's foreign insert
-- use the very connection (and so the remote transaction) of the caller's rows.
CREATE OR REPLACE FUNCTION tandem.note_segment_write(content integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    seen text := coalesce(current_setting('tandem.written_segments', true), '');
    segs integer[];
    s integer;
BEGIN
    IF seen LIKE '%,' || content || ',%' THEN
        RETURN;
    END IF;
    IF seen = '' THEN
        PERFORM set_config('tandem.written_segments', ',' || content || ',', true);
        RETURN; -- the first content: a single-segment transaction needs no mark
    END IF;
    seen := seen || content || ',';
    PERFORM set_config('tandem.written_segments', seen, true);
    segs := string_to_array(trim(both ',' from seen), ',')::integer[];
    FOREACH s IN ARRAY CASE WHEN cardinality(segs) = 2 THEN segs ELSE ARRAY[content] END LOOP
        EXECUTE format('INSERT INTO tandem.%I (system_identifier, coordinator_txid, content, segments, marked) '
                       || 'VALUES ($1, $2, $3, $4, now()) ON CONFLICT DO NOTHING', 'txn_marks_seg' || s)
            USING (SELECT system_identifier FROM pg_control_system()), txid_current(), s, segs;
    END LOOP;
END $$;
REVOKE ALL ON FUNCTION tandem.note_segment_write(integer) FROM PUBLIC;

-- AFTER INSERT FOR EACH ROW on each foreign partition (<table>_seg<N>) of a distributed table, with its content as
-- argument; COPY and INSERT through the parent fire it on the partition each row goes to. Its WHEN clause keeps the
-- common case cheap: a row whose content this transaction has already noted fails the condition, so no event is
-- queued and no function runs; only the first row per content and transaction gets here. (The condition is a
-- plain expression stored with the trigger, evaluated as the writing role; this function runs as its owner, since
-- the writing role has no rights on the mark tables. A trigger on the parent, cloned to the partitions, could not
-- name the content in its condition; a statement trigger with a transition table would keep postgres_fdw's
-- batching, but PostgreSQL 15 refuses it: "cannot collect transition tuples from child foreign tables".)
CREATE OR REPLACE FUNCTION tandem.mark_multi_segment_write() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM tandem.note_segment_write(TG_ARGV[0]::integer);
    RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION tandem.mark_multi_segment_write() FROM PUBLIC;

-- Turns the detection on (default) or off for one distributed table. Off restores postgres_fdw's batched INSERT
-- (batch_size): any AFTER ROW trigger on a foreign table makes it send rows one by one, with a RETURNING clause
-- (docs/query-path.md has the figures); COPY is row by row in PostgreSQL 15 anyway.
CREATE OR REPLACE FUNCTION tandem.detect_partial_commits(table_name regclass, enabled boolean DEFAULT true)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    p record;
BEGIN
    UPDATE tandem.distribution SET detect_partial_commits = enabled WHERE relid = table_name;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'table % is not distributed', table_name;
    END IF;
    IF enabled THEN
        PERFORM tandem.ensure_txn_marks();
    END IF;
    FOR p IN SELECT i.inhrelid::regclass AS part, substr(s.srvname, 11) AS content
             FROM pg_inherits i JOIN pg_foreign_table f ON f.ftrelid = i.inhrelid
             JOIN pg_foreign_server s ON s.oid = f.ftserver
             WHERE i.inhparent = table_name AND s.srvname ~ '^tandem_seg[0-9]+$'
    LOOP
        EXECUTE format('DROP TRIGGER IF EXISTS tandem_mark_multi_segment_write ON %s', p.part);
        IF enabled THEN
            EXECUTE format('CREATE TRIGGER tandem_mark_multi_segment_write AFTER INSERT ON %s FOR EACH ROW '
                           || 'WHEN (coalesce(pg_catalog.current_setting(%L, true), %L) NOT LIKE %L) '
                           || 'EXECUTE FUNCTION tandem.mark_multi_segment_write(%L)',
                           p.part, 'tandem.written_segments', '', '%,' || p.content || ',%', p.content);
        END IF;
    END LOOP;
END $$;
REVOKE ALL ON FUNCTION tandem.detect_partial_commits(regclass, boolean) FROM PUBLIC;

-- What the coordinator's commit log says of one of its transaction ids: committed, aborted, in progress, or
-- unknown (older than the commit log kept, or never assigned here: a mark of another coordinator's history).
CREATE OR REPLACE FUNCTION tandem.coordinator_txid_status(txid bigint) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN txid >= txid_snapshot_xmax(txid_current_snapshot()) THEN 'unknown'
                ELSE coalesce(txid_status(txid), 'unknown') END
$$;

-- The marks of every segment, one row per mark.
CREATE OR REPLACE FUNCTION tandem.txn_marks_query() RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT string_agg(format('SELECT system_identifier, coordinator_txid, content, segments, marked FROM tandem.%I',
                             c.relname), ' UNION ALL ' ORDER BY c.relname)
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'tandem' AND c.relkind = 'f' AND c.relname ~ '^txn_marks_seg[0-9]+$'
$$;

-- The multi-segment transactions committed on some segments and aborted on the coordinator (status 'aborted'),
-- or whose fate the coordinator cannot tell ('unknown'). committed_on: the contents holding its mark, i.e. where
-- it committed; written_segments: the contents it had written when its last surviving mark was made (a content
-- written later and not in committed_on did not commit it). Marks of committed transactions are deleted as they
-- are seen, which keeps the mark tables small; marks of transactions in progress are left alone.
CREATE OR REPLACE FUNCTION tandem.partial_commits()
RETURNS TABLE (coordinator_txid bigint, status text, committed_on integer[], written_segments integer[],
               first_marked timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
    marks text := tandem.txn_marks_query();
    sysid bigint := (SELECT system_identifier FROM pg_control_system());
    m record;
    st text;
    done bigint[] := '{}';
    t name;
BEGIN
    IF marks IS NULL THEN
        RETURN;
    END IF;
    FOR m IN EXECUTE format('SELECT system_identifier, coordinator_txid, array_agg(content ORDER BY content) AS on_, '
            || 'string_agg(array_to_string(segments, %L), %L) AS written, '
            || 'min(marked) AS first FROM (%s) k GROUP BY 1, 2 ORDER BY 2', ',', ',', marks)
    LOOP
        st := CASE WHEN m.system_identifier = sysid THEN tandem.coordinator_txid_status(m.coordinator_txid)
                   ELSE 'unknown' END;
        IF st = 'committed' THEN
            done := done || m.coordinator_txid;
        ELSIF st IN ('aborted', 'unknown') THEN
            coordinator_txid := m.coordinator_txid;
            status := st;
            committed_on := m.on_;
            written_segments := array(SELECT DISTINCT w::integer FROM unnest(string_to_array(m.written, ',')) w
                                      ORDER BY 1);
            first_marked := m.first;
            RETURN NEXT;
        END IF;
    END LOOP;
    IF cardinality(done) > 0 THEN
        FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'tandem' AND c.relkind = 'f' AND c.relname ~ '^txn_marks_seg[0-9]+$'
        LOOP
            EXECUTE format('DELETE FROM tandem.%I WHERE system_identifier = $1 AND coordinator_txid = ANY ($2)', t)
                USING sysid, done;
        END LOOP;
    END IF;
END $$;
REVOKE ALL ON FUNCTION tandem.partial_commits() FROM PUBLIC;

-- The operator has repaired (or accepted) a partial transaction: its marks go from every segment.
CREATE OR REPLACE FUNCTION tandem.acknowledge_partial_commit(txid bigint) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    t name;
    n integer;
    total integer := 0;
BEGIN
    FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
             WHERE ns.nspname = 'tandem' AND c.relkind = 'f' AND c.relname ~ '^txn_marks_seg[0-9]+$'
    LOOP
        EXECUTE format('DELETE FROM tandem.%I WHERE coordinator_txid = $1', t) USING txid;
        GET DIAGNOSTICS n = ROW_COUNT;
        total := total + n;
    END LOOP;
    RETURN total;
END $$;
REVOKE ALL ON FUNCTION tandem.acknowledge_partial_commit(bigint) FROM PUBLIC;

-- tandem distributed setup on a cluster whose tables were distributed before the detection existed
DO $$
DECLARE r regclass;
BEGIN
    FOR r IN SELECT d.relid FROM tandem.distribution d
             WHERE d.detect_partial_commits AND NOT EXISTS (
                 SELECT 1 FROM pg_inherits i JOIN pg_trigger g ON g.tgrelid = i.inhrelid
                 WHERE i.inhparent = d.relid AND g.tgname = 'tandem_mark_multi_segment_write')
    LOOP
        PERFORM tandem.detect_partial_commits(r, true);
    END LOOP;
END $$;
