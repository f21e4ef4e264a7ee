-- Yoake's two database roles (README, "The audit log's database roles"). Run it as a superuser
-- in Yoake's database before the first migration (compose does, on the database's first start);
-- running it again changes nothing, and on a database migrated before the split it hands the
-- tables to yoake_owner.
--
--   yoake_owner  owns the tables and runs the migrations (compose's `migrate` service);
--   yoake_app    the web application: owns nothing, so it cannot disable the audit log's
--                triggers; reads and writes rows, and may only add to and read the audit log.
-- Passwords are set apart (compose: 20-passwords.sh); over a trusted local socket none is needed.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'yoake_owner') THEN
        CREATE ROLE yoake_owner LOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'yoake_app') THEN
        CREATE ROLE yoake_app LOGIN;
    END IF;
    EXECUTE format(
        'GRANT CONNECT, TEMPORARY ON DATABASE %I TO yoake_owner, yoake_app', current_database()
    );
END
$$;

ALTER SCHEMA public OWNER TO yoake_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO yoake_app;

-- Whatever the migrations create from now on. (Forum migration 0006 then leaves roles other
-- than the owner only INSERT and SELECT on forum_auditlog.)
ALTER DEFAULT PRIVILEGES FOR ROLE yoake_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO yoake_app;
ALTER DEFAULT PRIVILEGES FOR ROLE yoake_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO yoake_app;

-- A database migrated before the split: its tables (with their sequences), views and functions
-- pass to yoake_owner, and yoake_app gets the same rights as on new tables.
DO $$
DECLARE
    item record;
BEGIN
    FOR item IN
        SELECT c.oid::regclass AS name,
               CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                              ELSE 'TABLE' END AS kind
          FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
    LOOP
        EXECUTE format('ALTER %s %s OWNER TO yoake_owner', item.kind, item.name);
    END LOOP;
    FOR item IN
        SELECT p.oid::regprocedure AS name
          FROM pg_proc AS p JOIN pg_namespace AS n ON n.oid = p.pronamespace
         WHERE n.nspname = 'public'
           AND NOT EXISTS (SELECT FROM pg_depend AS d WHERE d.objid = p.oid AND d.deptype = 'e')
    LOOP
        EXECUTE format('ALTER ROUTINE %s OWNER TO yoake_owner', item.name);
    END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO yoake_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO yoake_app;

DO $$
BEGIN
    IF to_regclass('public.forum_auditlog') IS NOT NULL THEN
        REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON forum_auditlog FROM yoake_app;
    END IF;
END
$$;
