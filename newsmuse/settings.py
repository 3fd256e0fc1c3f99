"""newsmuse settings, read from the environment (see the README for every variable).

Debug mode is off unless DEBUG says otherwise, and without debug a SECRET_KEY is required.
A checkout used for development keeps its own values in a git-ignored `.env` file (written
by `make run`); variables set in the environment win over it. A value that cannot be
understood stops start-up with a message naming the variable.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if env_file := os.environ.get("ENV_FILE", str(BASE_DIR / ".env")):
    environ.Env.read_env(env_file)


def env_bool(name: str, default: bool) -> bool:
    """true/false, yes/no, on/off or 1/0 (any case); anything else is refused."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("true", "yes", "on", "1"):
        return True
    if value in ("false", "no", "off", "0"):
        return False
    raise ImproperlyConfigured(
        f"{name}={os.environ[name]!r} is not understood: use true or false (yes/no, on/off, 1/0)."
    )


def env_database(name: str, default: str) -> dict:
    url = os.environ.get(name, "").strip() or default
    config = environ.Env.db_url_config(url)
    if config.get("ENGINE") not in (
        "django.db.backends.sqlite3",
        "django.db.backends.postgresql",
    ):
        raise ImproperlyConfigured(
            f"{name}={url!r} is not a database newsmuse runs on: use sqlite:///path/to/db.sqlite3 "
            "or postgres://user@host:5432/name."
        )
    return config


def env_cache(name: str, default: str) -> dict:
    url = os.environ.get(name, "").strip() or default
    try:
        return environ.Env.cache_url_config(url)
    except ImproperlyConfigured as error:
        raise ImproperlyConfigured(
            f"{name}={url!r} is not a cache URL: use e.g. locmemcache:// or redis://host:6379/1."
        ) from error


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    """One of a few words (any case); anything else is refused."""
    value = os.environ.get(name, "").strip().lower() or default
    if value not in choices:
        raise ImproperlyConfigured(
            f"{name}={os.environ[name]!r} is not understood: use {' or '.join(choices)}."
        )
    return value


def env_required(name: str, reason: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable ({reason}).")
    return value


def env_web_url(name: str, *, needed: str = "") -> str:
    """An http(s) address with a host, without a trailing slash; empty when unset, unless
    `needed` says why it must be set. Anything else is refused."""
    value = env_required(name, needed) if needed else os.environ.get(name, "").strip()
    parts = urlsplit(value)
    if value and (parts.scheme not in ("http", "https") or not parts.netloc):
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a web address: use e.g. https://s3.example.com."
        )
    return value.rstrip("/")


def env_s3_media() -> tuple[dict, str]:
    """STORAGES["default"] for MEDIA_STORAGE=s3, and the MEDIA_URL its files are served from:
    MEDIA_S3_PUBLIC_URL (a CDN or custom domain) when set, else the bucket's address at the
    endpoint. Path-style addressing (endpoint/bucket/key) is what every S3-compatible service
    understands, and it makes that address known here, for the Content-Security-Policy."""
    needed = "MEDIA_STORAGE=s3 needs it"
    bucket = env_required("MEDIA_S3_BUCKET", needed)
    endpoint = env_web_url("MEDIA_S3_ENDPOINT_URL", needed=needed)
    public_url = env_web_url("MEDIA_S3_PUBLIC_URL")
    signed = env_bool("MEDIA_S3_QUERYSTRING_AUTH", default=False)
    if signed and public_url:
        raise ImproperlyConfigured(
            "MEDIA_S3_QUERYSTRING_AUTH=true signs URLs at the endpoint, so it cannot be used "
            "with MEDIA_S3_PUBLIC_URL: unset one of them."
        )
    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint,
        "region_name": os.environ.get("MEDIA_S3_REGION", "").strip() or None,
        "access_key": env_required("MEDIA_S3_ACCESS_KEY_ID", needed),
        "secret_key": env_required("MEDIA_S3_SECRET_ACCESS_KEY", needed),
        "addressing_style": "path",
        # Public media: plain URLs that never expire (pages keep them, see Image.pictures).
        "querystring_auth": signed,
        # Never replace a stored file of the same name: the new one gets a random suffix.
        "file_overwrite": False,
    }
    storage = {"BACKEND": "newsmuse.s3.S3MediaStorage", "OPTIONS": options}
    if not public_url:
        return storage, f"{endpoint}/{bucket}/"
    public = urlsplit(public_url)
    options["url_protocol"] = f"{public.scheme}:"
    options["custom_domain"] = f"{public.netloc}{public.path}"
    return storage, f"{public_url}/"


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set the SECRET_KEY environment variable (or DEBUG=true for local development)."
        )
    SECRET_KEY = "insecure-local-development-key"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])

# HTTPS only, unless in debug: plain http is redirected, browsers are told to use https for
# a year (HSTS), and cookies never travel over plain http. `make serve` and the bench switch
# these off to run on http://127.0.0.1; the README's Production section lists them.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe the app over plain http.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Preloading is a promise to browser makers that is slow to take back: only on request.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True
# Behind a proxy that terminates TLS (nginx with a certificate, a load balancer) the app sees
# plain http: it trusts the proxy's X-Forwarded-Proto, which a client must never reach
# directly (gunicorn listens on the loopback; deploy/nginx.conf sets the header).
if env_bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Other sites (film pages, where to watch) learn that a reader came from here, never from
# which page: share links carry their token in the path.
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "taggit",
    "newsmuse",
    "people",
    "films",
    "features",
    "axes",
]

MIDDLEWARE = [
    "newsmuse.logs.RequestLogMiddleware",
    "newsmuse.db.DatabaseDeadlineMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "newsmuse.pagecache.PageCacheMiddleware",
    "newsmuse.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "newsmuse.admin.BoundedAdminSearchMiddleware",
]

ROOT_URLCONF = "newsmuse.urls"

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
                "newsmuse.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "newsmuse.wsgi.application"

DATABASES = {
    "default": env_database("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, converting each query's parameter style once (newsmuse.backends).
    DATABASES["default"]["ENGINE"] = "newsmuse.backends.sqlite3"
    # WAL lets readers work while a writer commits; IMMEDIATE transactions and a busy
    # timeout make concurrent writers wait for each other instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer fails a request in seconds (a 503), not never.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
    )
# How long a request waits for PostgreSQL to answer one query before it gives up with a
# 503 (newsmuse.db.DatabaseDeadlineMiddleware); 0 waits for ever.
DATABASE_QUERY_TIMEOUT = env.float("DATABASE_QUERY_TIMEOUT", default=5.0)
# Opening a connection costs more than rendering a cached page: keep them for a minute, and
# check one is alive before reusing it, so a database restart costs no request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
# The site and its admin speak English only: without the translation machinery, every
# date, number and URL a page renders skips a lookup of the active language.
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Static files: unless in debug, `collectstatic` writes them to STATIC_ROOT under names
# holding a hash of their content, with gzipped copies, and WhiteNoise serves them with
# far-future cache headers. STATIC_MANIFEST=false (debug, the tests) serves the apps' own
# files as they are, looked up on each request, with no collectstatic needed.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "newsmuse.storage.MediaStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploads and renditions in a bucket on S3 or an S3-compatible service instead of MEDIA_ROOT.
if env_choice("MEDIA_STORAGE", ("filesystem", "s3"), default="filesystem") == "s3":
    STORAGES["default"], MEDIA_URL = env_s3_media()
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = not STATIC_MANIFEST
WHITENOISE_MIMETYPES = {".webmanifest": "application/manifest+json"}
# Let Django serve uploads itself (development, `make serve`); in production a web server or
# object storage does.
SERVE_MEDIA = env_bool("SERVE_MEDIA", default=DEBUG)

TAGGIT_CASE_INSENSITIVE = True

# Uploads larger than this, or with more pixels, are refused with a message.
IMAGE_MAX_UPLOAD_BYTES = env.int("IMAGE_MAX_UPLOAD_BYTES", default=20_000_000)
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=50_000_000)

SITE_NAME = env.str("SITE_NAME", default="newsmuse")
SITE_DESCRIPTION = env.str("SITE_DESCRIPTION", default="Conversations about people and films.")
# The public address, e.g. https://newsmuse.example: commands that print links (such as
# check_content) write them absolute when it is set.
SITE_URL = env_web_url("SITE_URL")

# Staff sign in through the admin, and land there whatever a hostile ?next= asked for.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

# Django's cache: local memory unless CACHE_URL names a shared one (e.g. redis://host:6379/1).
CACHES = {
    "default": env_cache(
        "CACHE_URL", default=os.environ.get("REDIS_URL", "").strip() or "locmemcache://newsmuse"
    )
}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A Redis that stops answering fails a request in seconds instead of holding it.
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {"socket_connect_timeout": 2, "socket_timeout": 2}
    )

# The page cache (newsmuse.pagecache): anonymous GETs of public pages, never stale.
# Off in debug, so that a template being edited shows its changes at once.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", default=not DEBUG)
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
PAGE_CACHE_SKIP_PATHS = ("/admin/", "/preview/", "/healthz", MEDIA_URL)
# Browsers revalidate every time (a 304 is cheap); shared caches keep a page one second.
PAGE_CACHE_CONTROL = "public, max-age=0, s-maxage=1, stale-while-revalidate=60"

# Content-Security-Policy (django-csp, through newsmuse.middleware): scripts, styles, images
# and forms from this site only (and images from MEDIA_URL's host when uploads live
# elsewhere), no plugins, and no page of ours inside another's frame. Inline scripts never
# run; the admin and the error pages also allow inline styles (see the middleware).
media = urlsplit(MEDIA_URL)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, f"{media.scheme}://{media.netloc}"] if media.netloc else [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Browser features no page here uses, denied to the pages and to anything they embed.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)

# Without debug, logs are JSON lines on stderr (newsmuse.logs): one per request and one per
# unhandled error, with its traceback.
if not DEBUG:
    LOGGING = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "newsmuse.logs.JSONFormatter"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json"}},
        "root": {"handlers": ["stderr"], "level": "WARNING"},
        "loggers": {
            "newsmuse": {"level": "INFO"},
            # Django's warning for each 4xx answer would repeat the request's line.
            "django.request": {"level": "ERROR"},
        },
    }

# Sign-in throttling (django-axes): five wrong passwords for one user name, or from one
# address, lock that name or address out for 15 minutes. Staff see the attempts in the
# admin; `manage.py axes_reset` (or axes_reset_username NAME) lifts a lockout at once.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "newsmuse.security.client_ip"
# How many proxies in front of the app append to X-Forwarded-For (nginx alone: 1).
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)
