"""A handful of overrides for the test run; everything else is config.settings as driven
by DATABASE_URL and REDIS_URL (CI sets both, the embedded smoke run sets neither)."""

import os

os.environ.setdefault("DJANGO_VAR_DIR", os.path.join(os.path.dirname(os.path.dirname(__file__)), "var", "test"))

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
# Rate limits are tested explicitly where they matter; elsewhere they would make
# tests depend on each other through the shared cache.
ACCOUNT_RATE_LIMITS = False
VERIFICATION_EMAIL_COOLDOWN_SECONDS = 0
# Consumer tests run ORM calls on worker threads (database_sync_to_async): with a maximum age
# their connections outlive the test and keep the test database from being dropped at the end.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Nor a pool (config/settings.py): pooled connections would outlive the test database too;
# except in a web process that a fault test starts, which runs with production's pool.
if not os.environ.get("TEST_DB_POOL"):
    DATABASES["default"].get("OPTIONS", {}).pop("pool", None)  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 (whitenoise warns when it is missing)

# The Celery worker that the notification tests start in a subprocess writes its e-mail, one
# file per message, where the test process can read it (tests/notifications/mailbox.py).
if os.environ.get("TEST_EMAIL_DIR"):
    MAILERS = {
        "default": {
            "BACKEND": "tests.notifications.mailbox.DirectoryBackend",
            "OPTIONS": {"directory": os.environ["TEST_EMAIL_DIR"]},
        }
    }

# A test writes before it reads: with no margin every page it reads twice is kept
# (core/kept_pages.py), and the whole suite checks that each write makes the next page new.
KEPT_PAGES_MARGIN_MS = 0
