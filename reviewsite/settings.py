"""
Settings for the Regional Review snapshot site.

Every value that differs between a laptop and a server comes from the
environment. The defaults are safe for local work: SQLite in ``var/``, debug
off, and a random secret key kept in ``var/`` so sessions survive restarts.
Setting ``DJANGO_ENV=production`` turns the fallbacks off: the site then
refuses to start without ``DJANGO_SECRET_KEY`` and ``DATABASE_URL``, and
turns on HTTPS-only cookies, HSTS and the redirect to HTTPS. ``.env.example``
documents every variable.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
# Every empty variable means its default, as .env.example leaves many empty.
VAR_DIR = Path(os.environ.get("DJANGO_VAR_DIR") or BASE_DIR / "var")


def env_bool(name, default=False):
    """A yes/no variable; an unexpected value is refused rather than guessed."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name, default):
    """A whole-number variable; anything else is refused."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a whole number, not {value!r}."
        ) from None


def env_list(name, default):
    value = os.environ.get(name) or default
    return [item.strip() for item in value.split(",") if item.strip()]


PRODUCTION = os.environ.get("DJANGO_ENV", "local") == "production"
DEBUG = env_bool("DJANGO_DEBUG", default=False)


def private_var_dir():
    """``VAR_DIR``, created readable by its owner only: it holds the local
    secret key and the SQLite database."""
    VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    return VAR_DIR


def local_secret_key():
    """A random key generated once per checkout, never committed."""
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        private_var_dir()
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
    SECRET_KEY = local_secret_key()

DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if PRODUCTION and not DATABASE_URL:
    raise ImproperlyConfigured("DATABASE_URL must be set in production.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it must come before it.
    "modeltranslation",
    # Before the admin too: its history registrations, from the content map,
    # come before the admin's own guesses (reversion's VersionAdmin).
    "reviews",
    # The apps above the content, by concern (README: "How the code is laid
    # out"); the editorial app's admin comes before the admin's own templates.
    "reviews.editorial",
    "reviews.public",
    "reviews.opendata",
    "reviews.spreadsheets",
    "reviews.pagecache",
    "reviews.ops",
    "reviews.publishing",
    "reviews.translations",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "import_export",
    "reversion",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Headers that are the same on every response, cached or not, are added
    # outside the page cache.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's, but never sending a reader to a language not yet public.
    "reviews.public.locale.PublicLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before anything reads the body (CSRF reads POST in process_view).
    "reviews.ops.middleware.RequestSizeLimitMiddleware",
    # After authentication (signed-in editors are never served from the
    # cache), before CSRF (a cached page carries no token).
    "reviews.pagecache.middleware.PageCacheMiddleware",
    # Inside the cache: a page's style hashes are kept with it.
    "reviews.ops.middleware.InlineAttributeHashesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, so that it sees the outcome of the sign-in view.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out user and address before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "reviewsite.urls"

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

WSGI_APPLICATION = "reviewsite.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite creates its file (and the -wal and -shm files, with the same
    # mode) readable by everyone; created here first, it is the owner's only.
    # Only in var/: a database named elsewhere is the deployer's to create.
    database_file = Path(DATABASES["default"]["NAME"])
    if database_file.parent == VAR_DIR and not database_file.exists():
        private_var_dir()
        os.close(os.open(database_file, os.O_CREAT | os.O_WRONLY, 0o600))
    # Readers never wait for a writer (WAL); a writer takes the lock when its
    # transaction begins (IMMEDIATE), not halfway through, and waits up to the
    # busy timeout for another writer (an import) to finish instead of failing
    # with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("DJANGO_SQLITE_BUSY_TIMEOUT", 60),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

# Languages: the one place they are named. Everything else (translated
# columns, spreadsheet columns, the admin's tabs, the language switcher, the
# sitemap) is built from LANGUAGES. Adding a language is a line here, its
# catalogue in LOCALE_PATHS and a migration for its columns.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
# Required texts must be given in these languages; a language added later
# falls back to LANGUAGE_CODE until its translation is complete.
CONTENT_REQUIRED_LANGUAGES = ("en", "es")
# The languages readers get: one added to LANGUAGES is edited and translated
# first, and listed here once its texts are (reviews.languages).
PUBLIC_LANGUAGES = env_list("DJANGO_PUBLIC_LANGUAGES", "en,es")
# Translations are made from this language: a change of its text marks the
# others' as stale (reviews.translations).
SOURCE_LANGUAGE = LANGUAGE_CODE
LOCALE_PATHS = [BASE_DIR / "reviewsite" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
MODELTRANSLATION_FALLBACK_LANGUAGES = (LANGUAGE_CODE,)

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

STATIC_URL = "static/"
# Only a deployment collects static files; locally they are served from the apps.
STATIC_ROOT = os.environ.get("DJANGO_STATIC_ROOT") or (
    BASE_DIR / "staticfiles" if PRODUCTION else None
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Locally the files are served straight from the apps, no collectstatic needed.
WHITENOISE_USE_FINDERS = not PRODUCTION

LOGIN_URL = "admin:login"

# Cache ------------------------------------------------------------------------
# One Redis shared by every app server in production: the page cache, its
# generation, and the uploads waiting between an import's preview and its
# confirmation. Locally, each process keeps its own in memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's, with publish/subscribe for the pages each process
            # keeps in memory (reviews.pagecache.middleware.NearCache).
            "BACKEND": "reviews.pagecache.backend.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_KEY_PREFIX") or "reviews",
            # A Redis that is down or slow costs a request this much at most
            # before the page is built from the database instead.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# How long a rendered page (or picture) is kept; any change of content replaces
# it at once (reviews.pagecache.middleware), so this only bounds the memory of
# old versions: every entry the site puts in the cache expires.
PAGE_CACHE_SECONDS = env_int("DJANGO_PAGE_CACHE_SECONDS", 24 * 60 * 60)
# How often each process compares the cache's generation with the content's
# last change in the database: the longest a page older than an edit is
# served when Redis missed or lost that edit's invalidation (restarted from
# an older dump, down or hung during the save). One small query per process.
PAGE_CACHE_CHECK_SECONDS = env_int("DJANGO_PAGE_CACHE_CHECK_SECONDS", 5)
# How long browsers and proxies may reuse a public page without asking again;
# after that they revalidate it with its ETag (a cheap 304).
PAGE_BROWSER_MAX_AGE = env_int("DJANGO_PAGE_BROWSER_MAX_AGE", 60)
# How much of the shared cache's pages each process may also keep in its own
# memory, valid until the next change is announced (0: none).
PAGE_NEAR_CACHE_BYTES = env_int("DJANGO_PAGE_NEAR_CACHE_BYTES", 32 * 1024 * 1024)

# Security -------------------------------------------------------------------
SESSION_COOKIE_SECURE = PRODUCTION
# Only staff sign in: a session ends a working day after signing in, so a
# computer left signed in overnight is not.
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_HOURS", 8) * 60 * 60
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind a proxy that terminates TLS, it tells the site which requests came
# in over HTTPS with this header; only set it if the proxy always sets (or
# strips) the header, or anyone could claim HTTPS.
if env_bool("DJANGO_BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", default=PRODUCTION)
# The proxy or load balancer asks /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int(
    "DJANGO_HSTS_SECONDS", 365 * 24 * 60 * 60 if PRODUCTION else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)

# Content-Security-Policy (django-csp): scripts, styles, fonts and images come
# from the site itself, never inline. The only inline code allowed is in the
# attributes a page itself renders that are named below, each allowed by its
# hash on that response (reviews.ops.middleware.InlineAttributeHashesMiddleware):
# the timeline's geometry on the public page, and on the admin's export form
# import-export's two style attributes and its one event handler.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
CSP_STYLE_ATTRIBUTE_PROPERTIES = (
    "--days",
    "grid-column",
    "padding",
    "font-weight",
)
CSP_EVENT_HANDLERS = ("onSelectToggleChange(event)",)

# Sign-in throttling (django-axes, reviews.ops.signin): after this many
# failures for one user name from one address, that pair is locked out for the
# cool-off time, and after SIGNIN_ADDRESS_FAILURE_LIMIT failures from one
# address across user names, the whole address; an administrator unlocks
# them sooner under "Access attempts" in the admin.
AXES_FAILURE_LIMIT = env_int("DJANGO_SIGNIN_FAILURE_LIMIT", 5)
SIGNIN_ADDRESS_FAILURE_LIMIT = env_int("DJANGO_SIGNIN_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_SIGNIN_COOLOFF_MINUTES", 30))
# In this order: reviews.ops.signin.SigninThrottle reads the pair's, then the
# address's attempts.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], ["ip_address"]]
AXES_HANDLER = "reviews.ops.signin.SigninThrottle"
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "reviews.ops.signin.client_ip"
# Log the user name and address of each failure (axes masks them by default):
# an administrator needs them to tell an attack from a forgetful editor.
# Passwords are never logged.
AXES_SENSITIVE_PARAMETERS = []
# How many proxies (load balancer, TLS terminator) stand in front of the app
# servers and append to X-Forwarded-For: the client's address is the one the
# outermost of them saw. 0 means clients connect to gunicorn directly. With 1
# or more, gunicorn must be reachable only through the proxies (bound to
# loopback or a private address), or anyone could write that header.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # Every failed sign-in, with user name and address; the page cache
        # reporting an unreachable Redis.
        "axes": {"level": "WARNING"},
        "reviews": {"level": "INFO"},
    },
}

# Spreadsheets (django-import-export) -----------------------------------------
# Import and export are permissions of their own, granted to the Editors group.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
# import-export's own formula escape only strips a leading "=" and turns every
# cell into text; the cell rule (reviews.spreadsheets.cells) escapes =, +, -, @
# on every export instead.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False
# Bigger uploads are refused before they are read; the error states the limit.
SPREADSHEET_MAX_UPLOAD_BYTES = env_int(
    "DJANGO_SPREADSHEET_MAX_UPLOAD_BYTES", 5 * 1024 * 1024
)
# An XLSX or ODS file is a zip; refuse one whose contents unpack to more than
# this (a "zip bomb" of a few kilobytes can unpack to gigabytes).
SPREADSHEET_MAX_UNPACKED_BYTES = 100 * 1024 * 1024
SPREADSHEET_MAX_CELL_CHARS = 10_000
# How long a preview waits for its confirmation before its upload is removed.
SPREADSHEET_PREVIEW_SECONDS = 60 * 60
# An import's preview and its confirmation each run inside one request, which
# gunicorn ends after its timeout (gunicorn.conf.py, 60 s). A sheet is read
# and checked at about 2,000 rows a second: this keeps the largest one allowed
# well under that on a modest server, and the error states the limit.
SPREADSHEET_MAX_ROWS = env_int("DJANGO_SPREADSHEET_MAX_ROWS", 20_000)
# The same budget for a whole snapshot workbook, all its sheets together
# (reviews.spreadsheets.workbook checks the sum, as check_rows does for one sheet).
SPREADSHEET_MAX_WORKBOOK_ROWS = env_int(
    "DJANGO_SPREADSHEET_MAX_WORKBOOK_ROWS", SPREADSHEET_MAX_ROWS
)
# The upload waits between preview and confirmation in storage every app
# server shares (the Redis cache), and expires on its own if never confirmed.
if REDIS_URL:
    IMPORT_EXPORT_TMP_STORAGE_CLASS = "reviews.spreadsheets.storage.UploadCacheStorage"

# Request bodies --------------------------------------------------------------
# Checked from Content-Length before any byte is read (reviews.ops.middleware);
# Django never reads past Content-Length. A signed-in user may send one
# spreadsheet plus the form around it; anyone else only a sign-in form, small
# enough that it is never spooled to a temporary file.
SIGNED_IN_MAX_BODY_BYTES = SPREADSHEET_MAX_UPLOAD_BYTES + 64 * 1024
ANONYMOUS_MAX_BODY_BYTES = 64 * 1024
