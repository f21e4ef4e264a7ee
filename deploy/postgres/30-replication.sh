#!/bin/sh
# The role streaming replicas connect as (compose profile `scale`: postgres-replica takes its
# base backup with it), and the pg_hba.conf line that lets it replicate. Harmless without one.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v password="$YOAKE_REPLICATION_PASSWORD" <<'SQL'
SELECT 'CREATE ROLE yoake_replicator REPLICATION LOGIN'
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'yoake_replicator') \gexec
ALTER ROLE yoake_replicator PASSWORD :'password';
SQL
echo "host replication yoake_replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
