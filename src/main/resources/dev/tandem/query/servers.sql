-- Tandem, query path (docs/query-path.md), 1 of 3: the segment servers and invariant 7.
-- Installed by `tandem init` and, idempotently, by `tandem distributed setup`, in this order: servers.sql,
-- tables.sql, columns.sql. Every statement may run again. Identifiers are built with format('%I') / quote_ident,
-- literals with format('%L').

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
    opt record;
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
        -- Bounds on a segment that goes silent (its host cut off or frozen): without them a coordinator backend
        -- waits on that socket until the kernel gives up (about 15 minutes) and a new session's connection attempt
        -- waits for ever. connect_timeout bounds the attempt; keepalives (answered by the kernel, so a busy segment
        -- never trips them) and tcp_user_timeout (unacknowledged data) end a connection to a host that is gone.
        -- Added to servers made before these options existed; an operator's own value is left alone.
        FOR opt IN SELECT * FROM (VALUES ('connect_timeout', '5'), ('keepalives_idle', '5'),
                                         ('keepalives_interval', '2'), ('keepalives_count', '3'),
                                         ('tcp_user_timeout', '10000')) o(name, value)
        LOOP
            IF NOT EXISTS (SELECT 1 FROM pg_foreign_server, unnest(srvoptions) o
                           WHERE srvname = srv AND o LIKE opt.name || '=%') THEN
                EXECUTE format('ALTER SERVER %I OPTIONS (ADD %I %L)', srv, opt.name, opt.value);
            END IF;
        END LOOP;
        IF NOT EXISTS (SELECT 1 FROM pg_user_mappings WHERE srvname = srv AND usename = 'public') THEN
            EXECUTE format('CREATE USER MAPPING FOR PUBLIC SERVER %I OPTIONS (user %L, password_required %L)',
                           srv, cluster_role, 'false');
        END IF;
    END LOOP;
    PERFORM tandem.repoint_segment_servers();
    RETURN created;
END $$;
REVOKE ALL ON FUNCTION tandem.create_segment_servers(name, text, integer, integer) FROM PUBLIC;
