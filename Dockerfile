# Yoake, production-like: `docker compose up` builds this and runs it beside PostgreSQL and Redis.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DEBUG=0 \
    HOST=0.0.0.0 \
    PORT=8000 \
    WEB_WORKERS=1

WORKDIR /app

# Dependencies first, so editing the code does not reinstall them.
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .

# Translations and static files are built into the image. Settings refuse to load with DEBUG off
# and no secrets, so the build uses throwaway ones that never reach the running container.
RUN BUILD_SECRET="build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    && SECRET_KEY="$BUILD_SECRET" IP_HASH_SECRET="$BUILD_SECRET" \
       DATABASE_URL="postgres://build@127.0.0.1/build" REDIS_URL="redis://127.0.0.1:1" \
       python -m config.launch compilemessages \
    && SECRET_KEY="$BUILD_SECRET" IP_HASH_SECRET="$BUILD_SECRET" \
       DATABASE_URL="postgres://build@127.0.0.1/build" REDIS_URL="redis://127.0.0.1:1" \
       python manage.py collectstatic --noinput -v 0

# The code stays owned by root and read-only for the user the server runs as.
RUN useradd --system --uid 10001 --no-create-home --home-dir /nonexistent yoake
USER yoake

EXPOSE 8000

# Asks GET /healthz: healthy only while PostgreSQL and Redis both answer.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-m", "config.launch", "healthcheck"]

# Migrates, seeds (idempotent; not with MIGRATE_ON_START=0, as compose runs `migrate` first),
# then becomes uvicorn with the same flags as `make run`:
# no access log (it would write client addresses), no proxy headers (forum.addresses resolves the
# client with TRUSTED_PROXY_COUNT), 4 KiB WebSocket frames without per-message deflate,
# WEB_WORKERS processes.
CMD ["python", "-m", "config.launch", "serve"]
