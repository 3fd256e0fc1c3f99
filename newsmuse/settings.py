"""newsmuse settings, read from the environment (see the README for every variable).

Debug mode is off unless DEBUG says otherwise, and without debug a SECRET_KEY is required.
A checkout used for development keeps its own values in a git-ignored `.env` file (written
by `make run`); variables set in the environment win over it. A value that cannot be
understood stops start-up with a message naming the variable.
"""

import os
from pathlib import Path

import environ
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


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set the SECRET_KEY environment variable (or DEBUG=true for local development)."
        )
    SECRET_KEY = "insecure-local-development-key"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "taggit",
    "newsmuse",
    "people",
    "films",
    "features",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "newsmuse.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
    # WAL lets readers work while a writer commits; IMMEDIATE transactions and a busy
    # timeout make concurrent writers wait for each other instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
# Opening a connection costs more than rendering a cached page: keep them for a minute, and
# check one is alive before reusing it, so a database restart costs no request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "newsmuse.storage.MediaStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Let Django serve uploads itself (development, tests); in production a web server or
# object storage does.
SERVE_MEDIA = env_bool("SERVE_MEDIA", default=DEBUG)

TAGGIT_CASE_INSENSITIVE = True

# Uploads larger than this, or with more pixels, are refused with a message.
IMAGE_MAX_UPLOAD_BYTES = env.int("IMAGE_MAX_UPLOAD_BYTES", default=20_000_000)
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=50_000_000)

SITE_NAME = env.str("SITE_NAME", default="newsmuse")

# Staff sign in through the admin, and land there whatever a hostile ?next= asked for.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

# Django's cache: local memory unless CACHE_URL names a shared one (e.g. redis://host:6379/1).
CACHES = {"default": env_cache("CACHE_URL", default="locmemcache://newsmuse")}

# The page cache (newsmuse.pagecache): anonymous GETs of public pages, never stale.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", default=True)
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
PAGE_CACHE_SKIP_PATHS = ("/admin/", "/preview/", MEDIA_URL)
# Browsers revalidate every time (a 304 is cheap); shared caches keep a page one second.
PAGE_CACHE_CONTROL = "public, max-age=0, s-maxage=1, stale-while-revalidate=60"
