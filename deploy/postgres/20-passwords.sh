#!/bin/sh
# The passwords of the roles 10-roles.sql made, from the compose environment (postgres service).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v owner_password="$YOAKE_OWNER_PASSWORD" -v app_password="$YOAKE_APP_PASSWORD" <<'SQL'
ALTER ROLE yoake_owner PASSWORD :'owner_password';
ALTER ROLE yoake_app PASSWORD :'app_password';
SQL
