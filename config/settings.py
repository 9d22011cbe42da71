"""Kronika settings: one module, read from the environment, with defaults that work on a laptop."""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# SECRET_KEY signs sessions, CSRF tokens and password-reset links: a known key lets anyone
# forge them. The public development key below is used only with DEBUG on; with DEBUG off
# (the default) Kronika refuses to start without a key. `make run` keeps a random key for
# the machine in .env; the tests set their own (pyproject.toml, [tool.pytest_env]).
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment or in .env (a long random "
            "string, e.g. from `python -c 'import secrets; print(secrets.token_urlsafe(50))'`)"
            ", or set DEBUG=1 on a development machine. See docs/configuration.md."
        )
    SECRET_KEY = "kronika-insecure-development-key-change-me"  # noqa: S105 (DEBUG only)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- HTTPS and cookies (docs/configuration.md, "Production") --------------------------------
# A production site (DEBUG off, ALLOWED_HOSTS naming a real host) is served over HTTPS: by
# default it redirects plain HTTP, sends HSTS and marks its cookies Secure. A laptop
# (`make run`, the tests, the benchmarks: local hosts only) keeps plain HTTP. KRONIKA_HTTPS
# overrides the guess; each setting below can be set on its own.
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1", "testserver"}
KRONIKA_HTTPS = env.bool(
    "KRONIKA_HTTPS", default=not DEBUG and any(h not in LOCAL_HOSTS for h in ALLOWED_HOSTS)
)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=KRONIKA_HTTPS)
# HSTS: browsers refuse plain HTTP for this long (a year by default, once seen over HTTPS).
# Subdomains and the browsers' preload list are commitments for every host of the domain:
# opt in only when all of them serve HTTPS.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if KRONIKA_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=KRONIKA_HTTPS)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=KRONIKA_HTTPS)
# No script of ours reads either cookie.
SESSION_COOKIE_HTTPONLY = env.bool("SESSION_COOKIE_HTTPONLY", default=True)
CSRF_COOKIE_HTTPONLY = env.bool("CSRF_COOKIE_HTTPONLY", default=True)
# The header a TLS-terminating proxy on ANOTHER machine sets, e.g. X-Forwarded-Proto (its
# value must then be "https"). Behind nginx on the same machine gunicorn already reads
# X-Forwarded-Proto from 127.0.0.1 (its forwarded_allow_ips): leave this empty. Set it only
# when the proxy overwrites the header on every request, or clients could claim HTTPS.
_proxy_ssl_header = env.str("SECURE_PROXY_SSL_HEADER", default="")
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https") if _proxy_ssl_header else None
)
# --- end of HTTPS and cookies ---------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "archive",
    "curation",
    "media.apps.MediaConfig",
    "search",
    "api",
    "interop",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "axes",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "accounts",
    "contributions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.RejectNullCharactersMiddleware",
    "config.middleware.RejectLongAddressesMiddleware",
    "config.busy.DatabaseBusyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): was the second factor given in this session (django-otp);
    # then staff who still owe it are sent to give it (accounts.middleware).
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After authentication: who changed what, and through which channel (archive/audit.py).
    "archive.audit.HistoryChannelMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last: a locked-out admin login gets the lockout page (api.throttling.locked_out), one
    # that found every password-check slot taken a 429 page.
    "api.throttling.PasswordChecksBusyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the site read while an import or the indexer writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
# Keep each worker's database connection this many seconds (0: a new one per request; with
# PostgreSQL in production 60 saves the connection setup on every request). A kept
# connection is tested before a request reuses it (CONN_HEALTH_CHECKS), so after a database
# restart the next request reconnects instead of failing (config.busy, docs/deployment.md).
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=0))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
# How long a request waits for a lock another writer holds (an import, a backup, another
# save) before giving up with a 503 and Retry-After (config.busy). SQLite: the busy timeout
# (its default would be 5 s); PostgreSQL: lock_timeout. Keep it below the web server's
# worker timeout (gunicorn: 30 s). docs/configuration.md.
DATABASE_BUSY_TIMEOUT = env.float("DATABASE_BUSY_TIMEOUT", default=20.0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"].setdefault("timeout", DATABASE_BUSY_TIMEOUT)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})
    given = DATABASES["default"]["OPTIONS"].get("options", "")
    if "lock_timeout" not in given:
        lock_timeout = f"-c lock_timeout={int(DATABASE_BUSY_TIMEOUT * 1000)}"
        DATABASES["default"]["OPTIONS"]["options"] = f"{given} {lock_timeout}".strip()
# PostgreSQL only: cancel a statement running longer than this many seconds (0: never); the
# request gets a 503 with Retry-After (config.busy). Keep it below the worker timeout.
DATABASE_STATEMENT_TIMEOUT = env.float("DATABASE_STATEMENT_TIMEOUT", default=0.0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and (
    DATABASE_STATEMENT_TIMEOUT > 0
    and "statement_timeout" not in DATABASES["default"]["OPTIONS"].get("options", "")
):
    statement_timeout = f"-c statement_timeout={int(DATABASE_STATEMENT_TIMEOUT * 1000)}"
    DATABASES["default"]["OPTIONS"]["options"] = (
        f"{DATABASES['default']['OPTIONS'].get('options', '')} {statement_timeout}".strip()
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", _("Polish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "static"))
STORAGES = {
    # Local media written whole or not at all (media/filesystem.py).
    "default": {"BACKEND": "media.filesystem.AtomicFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Tests and `runserver` find static files in place; production serves `collectstatic` output.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))

# Uploads: the largest file accepted and the most pixels an image may decode to.
KRONIKA_MAX_UPLOAD_BYTES = env.int("KRONIKA_MAX_UPLOAD_BYTES", default=200 * 1024 * 1024)
KRONIKA_MAX_IMAGE_PIXELS = env.int("KRONIKA_MAX_IMAGE_PIXELS", default=120_000_000)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# The admin's Import page (archive/admin_import.py, docs/import-format.md): the largest
# file it accepts (a ZIP also unpacks to at most this), where uploads wait between preview
# and confirm (private: never under MEDIA_ROOT), and how long an unconfirmed one is kept.
KRONIKA_IMPORT_MAX_BYTES = env.int("KRONIKA_IMPORT_MAX_BYTES", default=512 * 1024 * 1024)
KRONIKA_IMPORT_STAGING_DIR = env.path(
    "KRONIKA_IMPORT_STAGING_DIR", default=str(VAR_DIR / "import-staging")
)
KRONIKA_IMPORT_STAGING_HOURS = env.int("KRONIKA_IMPORT_STAGING_HOURS", default=24)

# The years item dates may reach (archive/dates.py); widen for an archaeological archive.
KRONIKA_YEAR_MIN = env.int("KRONIKA_YEAR_MIN", default=-10000)
KRONIKA_YEAR_MAX = env.int("KRONIKA_YEAR_MAX", default=2100)

# History (archive/audit.py, docs/admin.md): how many days a deleted item can be restored
# from the admin; `manage.py purge_history` removes the versions of records deleted longer ago.
KRONIKA_RESTORE_DAYS = env.int("KRONIKA_RESTORE_DAYS", default=30)
# Set false to write no versions at all (measuring the cost of history, docs/benchmarks.md).
SIMPLE_HISTORY_ENABLED = env.bool("KRONIKA_HISTORY", default=True)
# A version's reason (a revert, a restore, a batch edit's description) has no length limit.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Name shown in the page header and the accessibility statement.
KRONIKA_INSTITUTION = env.str("KRONIKA_INSTITUTION", default="Mszczonowski Ośrodek Kultury")

# How residents reach the institution: the contact page (/pl/contact/), the footer of every
# page and the accessibility statement, which the Act of 4 April 2019 requires to give
# contact details. Checked by `manage.py check` (archive/checks.py: kronika.E001–E002,
# W001–W002). The defaults are the demo institution's facts that have a source (town,
# postcode, website); its street, e-mail and telephone are not sourced, so they are left
# for the deployment to set (docs/website.md). Address lines are separated by " | ".
KRONIKA_CONTACT = {
    "address": env.str(
        "KRONIKA_INSTITUTION_ADDRESS",
        default=(
            "Mszczonowski Ośrodek Kultury | 96-320 Mszczonów | powiat żyrardowski, woj. mazowieckie"
        ),
    ),
    "email": env.str("KRONIKA_CONTACT_EMAIL", default=""),
    "phone": env.str("KRONIKA_CONTACT_PHONE", default=""),
    "website": env.str("KRONIKA_CONTACT_WEBSITE", default="https://mok.mszczonow.pl/"),
    "hours": env.str("KRONIKA_CONTACT_HOURS", default=""),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    # An outage met before the view (config.busy.server_error): one line, no traceback.
    "filters": {"outage": {"()": "config.busy.QuietOutageFilter"}},
    "loggers": {"django.request": {"filters": ["outage"]}},
}

# --- Search (search/, docs/search.md) -------------------------------------------------------
# SEARCH_BACKEND: sqlite | postgres | opensearch | elasticsearch; empty = the database's own.
SEARCH_BACKEND = env.str("SEARCH_BACKEND", default="")
SEARCH_URL = env.str("SEARCH_URL", default="")
# An external engine (opensearch, elasticsearch) sits behind a circuit breaker: after a
# failure (refused, timeout, 5xx) searches answer from the database for SEARCH_COOLDOWN
# seconds, then one probe at a time tries the engine again. Timeouts in seconds, per use:
# searches and suggestions (short), indexing and rebuilds (long), the /healthz ping.
SEARCH_TIMEOUT = env.float("KRONIKA_SEARCH_TIMEOUT", default=1.0)
SEARCH_INDEX_TIMEOUT = env.float("KRONIKA_SEARCH_INDEX_TIMEOUT", default=10.0)
SEARCH_HEALTH_TIMEOUT = env.float("KRONIKA_SEARCH_HEALTH_TIMEOUT", default=0.5)
SEARCH_COOLDOWN = env.float("KRONIKA_SEARCH_COOLDOWN", default=30.0)
# The backend gets its whole settings entry: the four above (as search_timeout,
# index_timeout, health_timeout, cooldown) and these further options, which win, e.g.
# {"refresh": False} to let an engine refresh its index on its own schedule.
SEARCH_OPTIONS: dict = {}
# Replicas of each shard of an engine's index (OpenSearch, Elasticsearch): unset keeps
# auto_expand_replicas 0-1; 1 on a cluster of two or more nodes, so that a node lost loses
# no shard (docs/search.md, "A cluster"). Applied when an index is created or rebuilt.
if env.str("KRONIKA_SEARCH_REPLICAS", default=""):
    SEARCH_OPTIONS["replicas"] = env.int("KRONIKA_SEARCH_REPLICAS")
# The Polish dictionary as a MARISA trie, built there once per machine (≈ 10 s) and then
# loaded by every process in ≈ 0.1 s (search/analysis.py, LemmaDictionaryFactory).
KRONIKA_LEMMA_CACHE_DIR = env.path(
    "KRONIKA_LEMMA_CACHE_DIR", default=str(VAR_DIR / "cache" / "simplemma")
)
# The outbox drain runs right after each commit by default; production may use the dummy
# backend and run `manage.py process_search_outbox --loop` instead (docs/search.md).
TASKS = {
    "default": {
        "BACKEND": env.str(
            "TASKS_BACKEND", default="django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}
# --- end of Search --------------------------------------------------------------------------

# --- API (api/, interop/: REST, OAI-PMH, IIIF Presentation; docs/api.md) ----------------
# REST API (api/): JSON only (the docs page is Swagger UI); archivists write with a token
# (Authorization: Token …) or a logged-in session. Anonymous clients are rate-limited per
# address; API_ANON_THROTTLE_RATE is "<n>/second|minute|hour|day" (cache-backed: per process
# with the default local-memory cache).
# API_NUM_PROXIES: how many reverse proxies stand in front of Kronika. 0 (the default) means
# none: the client is REMOTE_ADDR and X-Forwarded-For is ignored (anyone can send it). With
# N proxies the client is the N-th address from the right of X-Forwarded-For. Throttling and
# the login lockout read the address the same way (api.throttling.client_ip).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ModelPermissionsOthersRead"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.ApiPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonymousRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_ANON_THROTTLE_RATE", default="120/minute"),
        # Password attempts at POST auth/token/ per client address, counted before any
        # password is checked.
        "login": env.str("API_LOGIN_THROTTLE_RATE", default="10/minute"),
    },
    "NUM_PROXIES": env.int("API_NUM_PROXIES", default=0),
}
# Login lockout (django-axes) for the admin login and POST auth/token/ alike: after
# KRONIKA_LOGIN_FAILURE_LIMIT failed passwords for one account, or from one address, further
# attempts are refused (429) without checking the password, until KRONIKA_LOGIN_COOLOFF_MINUTES
# have passed since the last one. Failures are kept in the database (shared by all workers).
AUTHENTICATION_BACKENDS = [
    "api.throttling.LoginLockoutBackend",
    "api.throttling.BoundedModelBackend",
]
AXES_FAILURE_LIMIT = env.int("KRONIKA_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("KRONIKA_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "api.throttling.client_ip"
AXES_LOCKOUT_CALLABLE = "api.throttling.locked_out"
# Two-factor authentication (accounts/, django-otp TOTP; docs/roles.md): staff with an
# authenticator app give its code at the admin login and at POST auth/token/ (`otp_token`).
# With KRONIKA_REQUIRE_2FA every staff user must have one: without it the admin sends them
# to set it up, and the token endpoint refuses them. Administrators remove a lost device in
# the admin; its secret is never shown there again.
KRONIKA_REQUIRE_2FA = env.bool("KRONIKA_REQUIRE_2FA", default=False)
OTP_TOTP_ISSUER = env.str("KRONIKA_2FA_ISSUER", default="Kronika")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Password checks (deliberately slow hashes) running at once on this machine; more wait for
# none: they get a 429 with Retry-After, so page requests keep the rest of the CPU.
KRONIKA_CONCURRENT_PASSWORD_CHECKS = env.int("KRONIKA_CONCURRENT_PASSWORD_CHECKS", default=1)
KRONIKA_LOCK_DIR = env.path("KRONIKA_LOCK_DIR", default=str(VAR_DIR / "locks"))
# Addresses longer than this (path and query string together, in bytes) get a 414. gunicorn's
# own limit on the request line (config/gunicorn.conf.py) is 8190 bytes, above this.
KRONIKA_MAX_URL_BYTES = env.int("KRONIKA_MAX_URL_BYTES", default=4096)
SPECTACULAR_SETTINGS = {
    "TITLE": "Kronika API",
    "DESCRIPTION": "The catalogue of Kronika: published items, collections and vocabularies; "
    "archivists change records with a token. See docs/api.md.",
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "TAGS": [
        {"name": "items", "description": "Catalogue items"},
        {"name": "media", "description": "Media files of items and their text alternatives"},
        {"name": "collections", "description": "Curated, nested collections"},
        {"name": "lessons", "description": "Lesson packs for schools"},
        {"name": "stories", "description": "Stories: narrated pages of items"},
        {"name": "search", "description": "Full-text search and type-ahead"},
        {"name": "vocabularies", "description": "Subjects, places, agents and licences"},
        {"name": "auth", "description": "Tokens for archivists"},
    ],
    # Both a story block and a media file have a `kind`: name the block's choices.
    "ENUM_NAME_OVERRIDES": {"StoryBlockKindEnum": "curation.models.StoryBlock.Kind"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.declare_errors",
    ],
}
# CORS: any origin may read the public JSON (GET/HEAD/OPTIONS) of the API, OAI-PMH and IIIF.
CORS_URLS_REGEX = r"^/(api|oai|iiif)/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
# OAI-PMH (interop/, docs/interop.md): records per ListRecords/ListIdentifiers page; the
# repository identifier in oai:<id>:<identifier> (empty = the request's host name); the
# adminEmail harvesters may write to (comma-separated; empty = ADMINS or DEFAULT_FROM_EMAIL).
KRONIKA_OAI_PAGE_SIZE = env.int("KRONIKA_OAI_PAGE_SIZE", default=100)
KRONIKA_OAI_REPOSITORY_ID = env.str("KRONIKA_OAI_REPOSITORY_ID", default="")
KRONIKA_OAI_ADMIN_EMAIL = env.str("KRONIKA_OAI_ADMIN_EMAIL", default="")
# --- end of API -----------------------------------------------------------------------------

# --- Media pipeline (media/; docs/media.md) --------------------------------------------------
# Kinds of upload accepted (decided by content): any of image, audio, video, document.
KRONIKA_ALLOWED_MEDIA_KINDS = env.list(
    "KRONIKA_ALLOWED_MEDIA_KINDS", default=["image", "audio", "video", "document"]
)
# A stricter pixel limit than Pillow's own bomb guard (Image.MAX_IMAGE_PIXELS) is
# KRONIKA_MAX_IMAGE_PIXELS above; Pillow's guard is kept at twice that.
# Widths of the public WebP and JPEG copies of every image (never wider than the original).
# 1920 rather than 2048: a 12 MP photo (4000 px) then decodes at half scale (docs/media.md).
KRONIKA_DERIVATIVE_WIDTHS = [
    int(w) for w in env.list("KRONIKA_DERIVATIVE_WIDTHS", default=["320", "640", "1280", "1920"])
]
KRONIKA_DERIVATIVE_QUALITY = {
    "webp": env.int("KRONIKA_WEBP_QUALITY", default=72),
    "jpeg": env.int("KRONIKA_JPEG_QUALITY", default=80),
}
# Images whose longer side exceeds this many pixels get IIIF tiles and the zoom viewer.
KRONIKA_ZOOM_MIN_SIDE = env.int("KRONIKA_ZOOM_MIN_SIDE", default=2500)
KRONIKA_TILE_SIZE = 512
# IIIF Image API answers computed beyond the stored tiles (interop/iiif_image.py): at most
# this wide, high and many pixels (info.json's maxWidth/maxHeight/maxArea), kept in the
# bounded "iiif" cache below.
KRONIKA_IIIF_MAX_WIDTH = env.int("KRONIKA_IIIF_MAX_WIDTH", default=4096)
KRONIKA_IIIF_MAX_HEIGHT = env.int("KRONIKA_IIIF_MAX_HEIGHT", default=4096)
KRONIKA_IIIF_MAX_AREA = env.int("KRONIKA_IIIF_MAX_AREA", default=4_194_304)
# Answers up to this size are kept; the cache holds at most KRONIKA_IIIF_CACHE_ENTRIES files
# (a third of them dropped when full), so its disk use stays under their product.
KRONIKA_IIIF_CACHE_MAX_BYTES = env.int("KRONIKA_IIIF_CACHE_MAX_BYTES", default=1_048_576)
# Django's default cache (each process's memory: rate limits) and "iiif": computed IIIF
# answers on disk, shared by the workers of one machine.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "iiif": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env.str("KRONIKA_IIIF_CACHE_DIR", default=str(VAR_DIR / "cache" / "iiif")),
        "TIMEOUT": env.int("KRONIKA_IIIF_CACHE_SECONDS", default=86400),
        "OPTIONS": {
            "MAX_ENTRIES": env.int("KRONIKA_IIIF_CACHE_ENTRIES", default=1000),
            "CULL_FREQUENCY": 3,
        },
    },
}
# How long caches may keep a published media file fetched by a URL that is not tied to its
# publication (IIIF tiles, plain /media/ links); tokened URLs are immutable (docs/media.md).
KRONIKA_MEDIA_MAX_AGE = env.int("KRONIKA_MEDIA_MAX_AGE", default=3600)
# Where lessons' classroom ZIPs are kept until the lesson or its items change
# (curation/lesson_pack.py); a local folder, not MEDIA_ROOT (never served as it is).
KRONIKA_CLASSROOM_CACHE_DIR = env.path(
    "KRONIKA_CLASSROOM_CACHE_DIR", default=str(VAR_DIR / "cache" / "classroom")
)
# Media storage: local disk under MEDIA_ROOT by default; MEDIA_STORAGE=s3 switches to an
# S3-compatible bucket through django-storages (pip install ".[s3]"; docs/media.md).
# filesystem | s3; anything else stops `manage.py check` (media.E001).
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="filesystem")


def _s3_client_config(connect_timeout: float, read_timeout: float, max_attempts: int):
    from botocore.config import Config

    return Config(
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        retries={"max_attempts": max_attempts, "mode": "standard"},
    )


if MEDIA_STORAGE == "s3":
    STORAGES["default"] = {
        # django-storages' S3Storage whose URLs are Kronika's own /media/… (media/storage.py).
        "BACKEND": "media.storage.S3MediaStorage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME", default=""),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env.str("AWS_S3_REGION_NAME", default=None),
            "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default=None),
            # Private objects, signed URLs: drafts must not leak from a public bucket.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": True,
            # Files larger than this are spooled to a temporary file, not kept in memory,
            # while they are read (served, derived, backed up).
            "max_memory_size": env.int("AWS_S3_MAX_MEMORY_SIZE", default=10 * 1024 * 1024),
            "signature_version": "s3v4",
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default=None),
            # A bucket that stops answering must not hold a visitor for minutes (botocore's
            # defaults: 60 s to connect, 60 s to read, 5 attempts): a request gives up after
            # these and answers 503 (media.storage.StorageUnavailable).
            "client_config": _s3_client_config(
                connect_timeout=env.float("AWS_S3_CONNECT_TIMEOUT", default=3.0),
                read_timeout=env.float("AWS_S3_READ_TIMEOUT", default=20.0),
                max_attempts=env.int("AWS_S3_MAX_ATTEMPTS", default=2),
            ),
        },
    }
# --- end of Media pipeline ------------------------------------------------------------------

# --- Web pages (templates/, static/; Content-Security-Policy via django-csp) ----------------
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}
# Media stored on another origin (MEDIA_STORAGE=s3, docs/media.md) must be allowed to load:
# list the origins the media URLs use (default: the bucket's custom domain, if any).
_media_options = STORAGES["default"].get("OPTIONS", {})
KRONIKA_CSP_MEDIA_ORIGINS = env.list(
    "KRONIKA_CSP_MEDIA_ORIGINS",
    default=[f"https://{_media_options['custom_domain']}"]
    if _media_options.get("custom_domain")
    else [],
)
CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] += KRONIKA_CSP_MEDIA_ORIGINS
CONTENT_SECURITY_POLICY["DIRECTIVES"]["media-src"] = [SELF, *KRONIKA_CSP_MEDIA_ORIGINS]

# The map of places (static/js/map.js, docs/configuration.md): Leaflet over tiles from one
# server, which the CSP lets in and nothing else; an empty URL draws markers on a blank
# layer. The attribution is plain text with a link, as the tile server's terms ask.
KRONIKA_MAP_TILE_URL = env.str(
    "KRONIKA_MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
KRONIKA_MAP_ATTRIBUTION = env.str("KRONIKA_MAP_ATTRIBUTION", default="© OpenStreetMap contributors")
KRONIKA_MAP_ATTRIBUTION_URL = env.str(
    "KRONIKA_MAP_ATTRIBUTION_URL", default="https://www.openstreetmap.org/copyright"
)


def _tile_origin(url: str) -> str | None:
    """The origin the CSP must allow for a tile URL template ({s} subdomains: a wildcard)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"


KRONIKA_MAP_TILE_ORIGIN = _tile_origin(KRONIKA_MAP_TILE_URL)
if KRONIKA_MAP_TILE_ORIGIN:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(KRONIKA_MAP_TILE_ORIGIN)

# The sitemap framework's templates (sitemap.xml at the site root, config/urls.py).
INSTALLED_APPS += ["django.contrib.sitemaps"]

# The accessibility statement (deklaracja dostępności) at /pl/accessibility/; every value
# is optional and the page says plainly what has not been filled in (docs/website.md).
# Without a named contact person it gives the institution's KRONIKA_CONTACT details.
# Dates are YYYY-MM-DD; COMPLIANCE is full | partial | none; ASSESSMENT is self | external.
KRONIKA_ACCESSIBILITY = {
    "contact_name": env.str("KRONIKA_A11Y_CONTACT_NAME", default=""),
    "contact_email": env.str("KRONIKA_A11Y_CONTACT_EMAIL", default=""),
    "contact_phone": env.str("KRONIKA_A11Y_CONTACT_PHONE", default=""),
    "site_published": env.str("KRONIKA_A11Y_SITE_PUBLISHED", default=""),
    "site_updated": env.str("KRONIKA_A11Y_SITE_UPDATED", default=""),
    "statement_prepared": env.str("KRONIKA_A11Y_STATEMENT_PREPARED", default=""),
    "statement_reviewed": env.str("KRONIKA_A11Y_STATEMENT_REVIEWED", default=""),
    "compliance": env.str("KRONIKA_A11Y_COMPLIANCE", default="partial"),
    "assessment": env.str("KRONIKA_A11Y_ASSESSMENT", default="self"),
    "assessor": env.str("KRONIKA_A11Y_ASSESSOR", default=""),
    "architecture": env.str("KRONIKA_A11Y_ARCHITECTURE", default=""),
}
# --- end of Web pages -----------------------------------------------------------------------

# Residents' contributions (memories, identifications, corrections; docs/moderation.md).
# Rate: per client address, counted for accepted forms ("5/hour", "20/day").
KRONIKA_CONTRIBUTION_RATE = env.str("KRONIKA_CONTRIBUTION_RATE", default="5/hour")
KRONIKA_CONTRIBUTION_MAX_TEXT = env.int("KRONIKA_CONTRIBUTION_MAX_TEXT", default=5000)
KRONIKA_CONTRIBUTION_MAX_PHOTO_BYTES = env.int(
    "KRONIKA_CONTRIBUTION_MAX_PHOTO_BYTES", default=15 * 1024 * 1024
)
# Days a rejected contribution is kept before `purge_contributions` deletes it.
KRONIKA_CONTRIBUTIONS_REJECTED_DAYS = env.int("KRONIKA_CONTRIBUTIONS_REJECTED_DAYS", default=30)
# Who gets an e-mail per new contribution (comma-separated); empty: KRONIKA_CONTACT_EMAIL.
KRONIKA_CONTRIBUTIONS_NOTIFY = env.list("KRONIKA_CONTRIBUTIONS_NOTIFY", default=[])
# The data protection officer's e-mail (inspektor ochrony danych), named in the clause.
KRONIKA_DPO_EMAIL = env.str("KRONIKA_DPO_EMAIL", default="")
