"""
Settings for the Regional Review snapshot site.

Every value that differs between a laptop and a server comes from the
environment. The defaults are safe for local work: SQLite in ``var/``, debug
off, and a random secret key kept in ``var/`` so sessions survive restarts.
Setting ``DJANGO_ENV=production`` turns the fallbacks off: the site then
refuses to start without ``DJANGO_SECRET_KEY`` and ``DATABASE_URL``.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DJANGO_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes"}


def env_list(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item]


PRODUCTION = os.environ.get("DJANGO_ENV", "local") == "production"
DEBUG = env_bool("DJANGO_DEBUG", default=False)


def local_secret_key():
    """A random key generated once per checkout, never committed."""
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
    SECRET_KEY = local_secret_key()

if PRODUCTION and not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("DATABASE_URL must be set in production.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it must come before it.
    "modeltranslation",
    # Before the admin too: its history registrations, from the content map,
    # come before the admin's own guesses (reversion's VersionAdmin).
    "reviews",
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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
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
LOCALE_PATHS = [BASE_DIR / "reviewsite" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
MODELTRANSLATION_FALLBACK_LANGUAGES = (LANGUAGE_CODE,)
# modeltranslation reads this unprefixed name. Its tabbed admin would otherwise
# load jQuery UI from a CDN; the site serves every script itself.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

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

SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Spreadsheets (django-import-export) -----------------------------------------
# Import and export are permissions of their own, granted to the Editors group.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
# import-export's own formula escape only strips a leading "=" and turns every
# cell into text; reviews.resources escapes =, +, -, @ on every export instead.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False
# Bigger uploads are refused before they are read; the error states the limit.
SPREADSHEET_MAX_UPLOAD_BYTES = int(
    os.environ.get("DJANGO_SPREADSHEET_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)
)
# An XLSX or ODS file is a zip; refuse one whose contents unpack to more than
# this (a "zip bomb" of a few kilobytes can unpack to gigabytes).
SPREADSHEET_MAX_UNPACKED_BYTES = 100 * 1024 * 1024
SPREADSHEET_MAX_CELL_CHARS = 10_000
SPREADSHEET_MAX_ROWS = 50_000
