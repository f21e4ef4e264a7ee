"""Yoake settings: one module, read from the environment, with safe development defaults.

Every setting that differs between machines is an environment variable; the README lists them.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.keys import key_bytes

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envnetworks(
    name: str, default: str
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """Comma-separated addresses or CIDR networks ("10.0.0.5, 192.0.2.0/24, ::1")."""
    try:
        return tuple(ipaddress.ip_network(item, strict=False) for item in envlist(name, default))
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}: {error}") from None


def envkey(name: str) -> bytes:
    """A 32-byte Curve25519 key given in base64 or hex; b"" when unset."""
    value = os.environ.get(name, "").strip()
    if not value:
        return b""
    try:
        return key_bytes(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a 32-byte key in base64 or hex") from None


DEBUG = envbool("DEBUG", True)

DEVELOPMENT_SECRET = "development-only-secret-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET)
# Keys for hashing client addresses; separate from SECRET_KEY so either can rotate alone.
IP_HASH_SECRET = os.environ.get("IP_HASH_SECRET", DEVELOPMENT_SECRET + "-ip")
if not DEBUG:
    for name, value in (("SECRET_KEY", SECRET_KEY), ("IP_HASH_SECRET", IP_HASH_SECRET)):
        if value.startswith(DEVELOPMENT_SECRET) or len(value) < 50:
            raise ImproperlyConfigured(
                f"{name} must be set to a long random value when DEBUG is off "
                "(python -c 'import secrets; print(secrets.token_urlsafe(50))')"
            )

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
# How many X-Forwarded-For hops to trust when finding the client address (0: none, use the peer).
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
# Who may read GET /metrics (config.scrape): comma-separated addresses or CIDR networks, matched
# against the client address as forum.addresses resolves it. Everyone else is answered as if
# there were no such page. Loopback only unless set.
YOAKE_METRICS_ALLOWED = envnetworks("YOAKE_METRICS_ALLOWED", "127.0.0.0/8,::1")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "channels",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "support",
    "forum",
    "chat",
    "dashboard",
    "accounts",
    "review",
]

MIDDLEWARE = [
    # Times every request by view, and answers /metrics to YOAKE_METRICS_ALLOWED (config.scrape).
    "config.scrape.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.ReferrerPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # With read replicas: which reads of this request may go to one (config.replicas).
    "config.replicas.ReplicaReadsMiddleware",
    # 2channel browsers' dat, subject.txt, SETTING.TXT and head.txt, from Redis (forum.twoch).
    "forum.twoch.files.TwoChannelFilesMiddleware",
    # Anonymous board and thread pages straight from Redis, before sessions and routing.
    "forum.pagecache.PageCacheMiddleware",
    # PostgreSQL down: a calm 503 with help lines instead of a 500 (cached pages never get here).
    "config.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = None
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "config.context_processors.site",
            ],
        },
    },
]

# --- PostgreSQL -------------------------------------------------------------------------------
# The default is the embedded server `make run` starts under var/pg.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "yoake",
            "USER": "postgres",
            "HOST": str(BASE_DIR / "var" / "pg"),
        }
    }
DATABASES["default"].setdefault("OPTIONS", {})
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Django's PostgreSQL backend, keeping each process's connections for its next requests.
DATABASES["default"]["ENGINE"] = "config.postgres"
# Streaming replicas for read-only work, comma-separated URLs: "replica1", "replica2", … in
# DATABASES. config.replicas decides where each read goes (README, "Scaling out"); without
# replicas there is no router and everything reads from the primary.
DATABASE_REPLICA_URLS = envlist("DATABASE_REPLICA_URLS", "")
for number, url in enumerate(DATABASE_REPLICA_URLS, start=1):
    replica = dj_database_url.parse(url, conn_max_age=0)
    # A replica that does not answer is skipped, never waited on (libpq's shortest timeout).
    replica.setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    replica["CONN_HEALTH_CHECKS"] = True
    replica["ENGINE"] = "config.postgres"
    # The test runner makes no database of its own for a replica.
    replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica{number}"] = replica
DATABASE_ROUTERS = ["config.replicas.ReplicaRouter"] if DATABASE_REPLICA_URLS else []
# A replica whose last replayed transaction is older than this while it has WAL left to replay
# is lagging: it is skipped until it catches up (seconds).
DATABASE_REPLICA_MAX_LAG = envint("DATABASE_REPLICA_MAX_LAG", 2)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache, sessions' cache, channel layer, flood control, presence ----------------------
REDIS_URL = os.environ.get("REDIS_URL", f"unix://{BASE_DIR / 'var' / 'redis' / 'redis.sock'}")


def envurl(name: str, default: str) -> str:
    """One server's URL (REDIS_URL's when unset)."""
    value = os.environ.get(name, "").strip() or default
    if "," in value:
        raise ImproperlyConfigured(f"{name} takes one URL; only CHANNEL_REDIS_URLS takes several")
    return value


# Each of Redis's three jobs may have servers of its own (README, "Scaling out"):
# the cache: cached sessions, allauth's rate limits, the page cache and the 2channel files;
CACHE_REDIS_URL = envurl("CACHE_REDIS_URL", REDIS_URL)
# the counters: flood control, thread quotas, surge detection, chat rate limits and presence;
COUNTERS_REDIS_URL = envurl("COUNTERS_REDIS_URL", REDIS_URL)
# the channel layer, which shards channels and groups over every server listed here.
CHANNEL_REDIS_URLS = envlist("CHANNEL_REDIS_URLS", REDIS_URL)
_REDIS_CACHE = {
    # Swallows connection errors so pages keep working while Redis is down.
    "BACKEND": "config.cache.ResilientRedisCache",
    "KEY_PREFIX": "yoake",
    "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
}
CACHES = {"default": {**_REDIS_CACHE, "LOCATION": CACHE_REDIS_URL}}
if COUNTERS_REDIS_URL != CACHE_REDIS_URL:
    # config.cache.counters_client uses the cache's server when there is no "counters" alias.
    CACHES["counters"] = {**_REDIS_CACHE, "LOCATION": COUNTERS_REDIS_URL}
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {"hosts": CHANNEL_REDIS_URLS, "prefix": "yoake"},
    }
}
# Sessions live in PostgreSQL with Redis in front, so a Redis outage logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Accounts (django-allauth) --------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
# Gives allauth's rate limits the keyed address hash, never the address (accounts/adapter.py).
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# allauth's other rate limits stay as they are; all count in the Redis cache and allow everyone
# while it is down (config/cache.py). Failed sign-ins count per address here and per username
# in accounts/ratelimits.py, so that nobody can lock another person out (README, Privacy).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip",
    "login_failed_username_address": "5/5m/key",
    "login_failed_username": "100/h/key",
    "login_failed_username_network": "3/h/key",
}
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Yoake"
# The TOTP QR code on a white square, readable in the night theme too.
MFA_ADAPTER = "accounts.adapter.MFAAdapter"
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language and time -------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ja", _("Japanese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "yoake_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Tokyo")
USE_I18N = True
USE_TZ = True

# --- Static files ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "config.storage.StaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Security ----------------------------------------------------------------------------------
# Nothing about a page reaches another site: config.middleware.ReferrerPolicyMiddleware sends
# "no-referrer", and "same-origin" on the few pages with a CSRF-protected form (see its docstring).
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
# Health probes speak plain HTTP from inside the container or the load balancer.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 0 if DEBUG else 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# django-csp: nothing inline, nothing from another origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# --- Logging: no client addresses, ever -------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Yoake -------------------------------------------------------------------------------------
# How long address hashes are kept before `manage.py purge_address_hashes` clears them.
ADDRESS_HASH_RETENTION_DAYS = envint("ADDRESS_HASH_RETENTION_DAYS", 30)
# Off unless set: the public key (Curve25519, base64 or hex) to which the address behind a post
# or chat message with risk language is sealed, for a police request under Japan's 2005
# guideline. The private key stays offline with the operator (`manage.py unseal`).
SEALED_ADDRESS_PUBLIC_KEY = envkey("SEALED_ADDRESS_PUBLIC_KEY")
# Sealed addresses are deleted after this many days by `manage.py purge_address_hashes`.
SEALED_ADDRESS_RETENTION_DAYS = 7
# Minimum seconds between two posts by one poster on one board (a board may override it).
YOAKE_POST_INTERVAL = envint("YOAKE_POST_INTERVAL", 10)
# A post is hidden for review once its reports weigh this many readers (forum.standing: a
# fresh poster cookie weighs 0.25, an established one 2; one cookie or IPv6 /64 counts once).
YOAKE_REPORT_HIDE_THRESHOLD = envint("YOAKE_REPORT_HIDE_THRESHOLD", 3)
# Automatic surge detection (forum.surge); 0 turns it off site-wide for deployments and load
# tests that must not have it. A moderator's switch on a board or room still holds.
YOAKE_SURGE = envbool("YOAKE_SURGE", True)
# The surge check's proof of work: SHA-256 rounds per try at the mildest surge (about 4,096
# tries are needed on average: about half a second in Chromium on this project's 2-core machine,
# measured through the widget); stronger surges multiply it, up to four times.
YOAKE_SURGE_PROOF_COST = envint("YOAKE_SURGE_PROOF_COST", 1)
# Rendered anonymous pages are kept in Redis and dropped on change (0 turns the cache off).
YOAKE_PAGE_CACHE = envbool("YOAKE_PAGE_CACHE", True)
# Each server process also keeps the hottest of those answers in its own memory, checked against
# Redis on every request (forum.pagecopies): at most this many MiB per process.
YOAKE_PAGE_COPIES_MB = envint("YOAKE_PAGE_COPIES_MB", 64)
# Each server process's rendered posts (forum.rendering.Articles); 0 keeps none.
YOAKE_POST_ARTICLES_MB = envint("YOAKE_POST_ARTICLES_MB", 32)
# How often a live page refreshes its "people here now" mark in Redis (seconds).
YOAKE_PRESENCE_SECONDS = envint("YOAKE_PRESENCE_SECONDS", 10)
# Chat rate limit per hashed address: this many messages per this many seconds (rooms may add a
# slower "slow mode" of their own).
YOAKE_CHAT_RATE_COUNT = envint("YOAKE_CHAT_RATE_COUNT", 5)
YOAKE_CHAT_RATE_SECONDS = envint("YOAKE_CHAT_RATE_SECONDS", 10)
# The night watch (review app): an address that gets one e-mail per new risk item, with the link
# and the board only (off when empty), and the site's public address to build that link from.
YOAKE_ONCALL_EMAIL = os.environ.get("YOAKE_ONCALL_EMAIL", "")
YOAKE_SITE_URL = os.environ.get("YOAKE_SITE_URL", "http://localhost:8000").rstrip("/")
