"""The one settings module. Everything that differs between machines comes from the environment.

Nothing set: SQLite (WAL) in CONSENSIO_HOME, in-memory channel layer, a secret key kept in
the data folder. DATABASE_URL moves storage to PostgreSQL; REDIS_URL moves live updates to
Redis so that several server processes serve one body. See README, "Configuration".
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from consensio import config

BASE_DIR = Path(__file__).resolve().parent

try:
    HOME = config.consensio_home()
    SECRET_KEY = config.secret_key(HOME)
    DEBUG = config.env_bool("CONSENSIO_DEBUG", False)
    _db = config.database(HOME)
    REDIS_URL = config.redis_url()
    # Public pages served again from memory while the journal has not moved (core/pagecache.py).
    PAGE_CACHE_SECONDS = config.env_int("CONSENSIO_PAGE_CACHE_SECONDS", 60)
    PAGE_CACHE_MAX_BYTES = config.env_int("CONSENSIO_PAGE_CACHE_MB", 64, minimum=1) * 1024 * 1024
except config.ConfigError as exc:
    # One line, no traceback: the variable and what is wrong with it.
    sys.stderr.write(f"consensio: configuration error: {exc}\n")
    raise SystemExit(2) from None

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # intcomma: numbers shown to people grouped per locale (1,234 · 1 234 · 1.234).
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "consensio.core",
    "consensio.accounts",
    "consensio.actors",
    "consensio.records",
    "consensio.forum",
    "consensio.drafting",
    "consensio.decisions",
    "consensio.floor",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Public pages for readers who are not logged in, from memory, before the session and
    # the rest run (core/pagecache.py): it must stay above SessionMiddleware.
    "consensio.core.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "consensio.urls"
ASGI_APPLICATION = "consensio.asgi.application"
WSGI_APPLICATION = "consensio.wsgi.application"

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
                "consensio.core.context.persona",
                # Last: while a page is rendered for the page cache, forms carry a placeholder token.
                "consensio.core.pagecache.csrf_placeholder",
            ],
        },
    }
]

DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            # The pub/sub layer: one PUBLISH per broadcast whatever the number of clients,
            # and no group bookkeeping left behind by a mass disconnect (bench/README.md).
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
else:
    # One process: Channels' InMemoryChannelLayer is O(N²) per broadcast; this one is O(N).
    CHANNEL_LAYERS = {"default": {"BACKEND": "consensio.core.layers.MemoryChannelLayer"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("ar", "العربية"),
    ("zh-hans", "中文"),
    ("en", "English"),
    ("fr", "Français"),
    ("ru", "Русский"),
    ("es", "Español"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
# Dates ({{ d }}, |date:"DATE_FORMAT") and decimals follow the active language through Django's own
# locale formats. Digit grouping stays off globally: templates print primary keys and counts into
# ids, data-* attributes, form values and URLs, which "1,234" would break. Numbers read by people
# are grouped where they are shown, with |intcomma.
USE_THOUSAND_SEPARATOR = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Static files are served straight from the package by WhiteNoise: no collectstatic step to forget.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = HOME / "media"
# Pasted statements and uploads are capped here; larger bodies get a clear 400/413.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
