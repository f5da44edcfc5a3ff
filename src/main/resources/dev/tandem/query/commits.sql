-- Tandem, query path (docs/query-path.md), 4 of 5: multi-segment writes whose commit applied on some segments only.
--
-- postgres_fdw commits a transaction's remote transactions in its pre-commit callback, then the coordinator
-- commits; there is no two-phase commit. If one segment's COMMIT fails after another's succeeded, the coordinator's
-- transaction aborts while the other segment keeps the rows. To find such a transaction afterwards, a transaction
-- that writes (INSERT, COPY) on a second segment leaves a mark row on every segment it writes, inside each segment's
-- own remote transaction (a foreign table on the same server uses the same postgres_fdw connection): a mark commits
-- exactly when that segment's part commits. The same transaction writes one row with the mark's token on the
-- coordinator, which exists after the fact exactly when the coordinator committed. A mark without its coordinator
-- row, of a transaction that is over: partial. A transaction that writes one segment pays only a look at a
-- transaction-local setting per row.

ALTER TABLE tandem.distribution ADD COLUMN IF NOT EXISTS detect_partial_commits boolean NOT NULL DEFAULT true;

-- One row per multi-segment transaction, written inside it: visible once it has committed on the coordinator.
-- The coordinator's transaction id alone cannot say so: an id given out by txid_current() to a transaction that
-- wrote no WAL is not durable, and after a coordinator crash PostgreSQL hands it out again (DistributedWritesIT saw
-- "transaction ID ... is in the future" right after such a crash). The id still says whether the transaction is
-- still running. Rows go with their marks (partial_commits() prunes both).
CREATE TABLE IF NOT EXISTS tandem.multi_segment_txn (
    token uuid PRIMARY KEY,
    coordinator_txid bigint NOT NULL,
    marked timestamptz NOT NULL DEFAULT now());

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
            || 'CREATE TABLE IF NOT EXISTS tandem.txn_marks (token uuid PRIMARY KEY, system_identifier bigint NOT NULL, '
            || 'coordinator_txid bigint NOT NULL, content int NOT NULL, segments int[] NOT NULL, '
            || 'marked timestamptz NOT NULL DEFAULT now())');
        IF to_regclass('tandem.txn_marks_seg' || s.content) IS NULL THEN
            EXECUTE format('CREATE FOREIGN TABLE tandem.%I (token uuid NOT NULL, system_identifier bigint NOT NULL, '
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
-- remote savepoints undo and the coordinator row it undoes. At the second content, the transaction gets a random
-- token, its coordinator row, and both contents a mark; every further content gets one when first written.
-- txid_current() gives the coordinator's transaction an id if it had none (the checker asks whether that id is
-- still running). SECURITY DEFINER: an application role writing a distributed table has no rights on the marks;
-- the PUBLIC user mapping makes the definer's foreign insert use the very connection (and so the remote
-- transaction) of the caller's rows.
CREATE OR REPLACE FUNCTION tandem.note_segment_write(content integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    seen text := coalesce(current_setting('tandem.written_segments', true), '');
    token uuid;
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
    IF cardinality(segs) = 2 THEN
        token := gen_random_uuid();
        PERFORM set_config('tandem.txn_token', token::text, true);
        INSERT INTO tandem.multi_segment_txn (token, coordinator_txid) VALUES (token, txid_current());
    ELSE
        token := current_setting('tandem.txn_token')::uuid;
    END IF;
    FOREACH s IN ARRAY CASE WHEN cardinality(segs) = 2 THEN segs ELSE ARRAY[content] END LOOP
        EXECUTE format('INSERT INTO tandem.%I (token, system_identifier, coordinator_txid, content, segments, '
                       || 'marked) VALUES ($1, $2, $3, $4, $5, now())', 'txn_marks_seg' || s)
            USING token, (SELECT system_identifier FROM pg_control_system()), txid_current(), s, segs;
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

-- Whether the coordinator committed the transaction that made a mark: committed (its coordinator row is visible),
-- in progress (its id is still running: look again later), aborted (over, without a row; this includes an id lost
-- in a coordinator crash, which reads as "in the future" or, once given out again, as some other transaction's
-- fate), unknown (another coordinator's mark). The id is asked first and the row looked up after, with a newer
-- snapshot, so that a transaction committing in between is not taken for aborted.
CREATE OR REPLACE FUNCTION tandem.multi_segment_txn_status(mark_token uuid, txid bigint, sysid bigint)
RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    running boolean;
BEGIN
    IF sysid <> (SELECT system_identifier FROM pg_control_system()) THEN
        RETURN 'unknown';
    END IF;
    -- CASE, not AND: txid_status() raises on an id "in the future", and AND does not promise an order
    running := CASE WHEN txid < txid_snapshot_xmax(txid_current_snapshot())
                    THEN coalesce(txid_status(txid) = 'in progress', false) ELSE false END;
    IF EXISTS (SELECT 1 FROM tandem.multi_segment_txn WHERE token = mark_token) THEN
        RETURN 'committed';
    END IF;
    RETURN CASE WHEN running THEN 'in progress' ELSE 'aborted' END;
END $$;

-- The marks of every segment, one row per mark.
CREATE OR REPLACE FUNCTION tandem.txn_marks_query() RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT string_agg(format('SELECT token, system_identifier, coordinator_txid, content, segments, marked FROM tandem.%I',
                             c.relname), ' UNION ALL ' ORDER BY c.relname)
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'tandem' AND c.relkind = 'f' AND c.relname ~ '^txn_marks_seg[0-9]+$'
$$;

-- The multi-segment transactions committed on some segments and aborted on the coordinator (status 'aborted'),
-- or marked by another coordinator ('unknown'). committed_on: the contents holding its mark, i.e. where it
-- committed; written_segments: the contents it had written when its last surviving mark was made (a content
-- written later and not in committed_on did not commit it). Marks of committed transactions are deleted as they
-- are seen, with their coordinator rows, which keeps the tables small; marks of transactions still running are
-- left alone. Coordinator rows without marks (a prune whose coordinator part failed) go after a day.
CREATE OR REPLACE FUNCTION tandem.partial_commits()
RETURNS TABLE (coordinator_txid bigint, status text, committed_on integer[], written_segments integer[],
               first_marked timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
    marks text := tandem.txn_marks_query();
    m record;
    st text;
    done uuid[] := '{}';
    t name;
BEGIN
    IF marks IS NULL THEN
        RETURN;
    END IF;
    FOR m IN EXECUTE format('SELECT token, min(system_identifier) AS sysid, min(coordinator_txid) AS txid, '
            || 'array_agg(content ORDER BY content) AS on_, string_agg(array_to_string(segments, %L), %L) AS written, '
            || 'min(marked) AS first FROM (%s) k GROUP BY 1 ORDER BY 3, 6', ',', ',', marks)
    LOOP
        st := tandem.multi_segment_txn_status(m.token, m.txid, m.sysid);
        IF st = 'committed' THEN
            done := done || m.token;
        ELSIF st IN ('aborted', 'unknown') THEN
            coordinator_txid := m.txid;
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
            EXECUTE format('DELETE FROM tandem.%I WHERE token = ANY ($1)', t) USING done;
        END LOOP;
        DELETE FROM tandem.multi_segment_txn x WHERE x.token = ANY (done);
    END IF;
    DELETE FROM tandem.multi_segment_txn x WHERE x.marked < now() - interval '1 day'
        AND NOT x.token = ANY (done); -- seen above with marks: not orphans
END $$;
REVOKE ALL ON FUNCTION tandem.partial_commits() FROM PUBLIC;

-- The operator has repaired (or accepted) a partial transaction: the marks of that coordinator transaction id that
-- its coordinator did not commit go from every segment (a later transaction given the same id after a coordinator
-- crash, and committed, keeps its marks).
CREATE OR REPLACE FUNCTION tandem.acknowledge_partial_commit(txid bigint) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    t name;
    n integer;
    total integer := 0;
    committed uuid[] := array(SELECT x.token FROM tandem.multi_segment_txn x WHERE x.coordinator_txid = txid);
BEGIN
    FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
             WHERE ns.nspname = 'tandem' AND c.relkind = 'f' AND c.relname ~ '^txn_marks_seg[0-9]+$'
    LOOP
        EXECUTE format('DELETE FROM tandem.%I WHERE coordinator_txid = $1 AND NOT token = ANY ($2)', t)
            USING txid, committed;
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
