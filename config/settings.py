"""The only settings module. Everything that differs between a laptop and production
comes from environment variables (see .env.example); the defaults run the embedded mode:
SQLite, the in-memory channel layer, eager Celery tasks and console e-mail."""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DJANGO_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, "true" if default else "false").strip().lower() in {"1", "true", "yes"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "django-insecure-local-only")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

# Behind TLS in production: DJANGO_HTTPS=true turns on every transport-security setting
# that `manage.py check --deploy` asks for. Off by default so the laptop runs on http.
HTTPS = env_bool("DJANGO_HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
# How many proxies of ours stand in front of the web server, each appending to X-Forwarded-For:
# the client's address is the one this many hops from the right (core/client_ip.py), for the
# audit log and allauth's rate limits alike. 0: the address that connects (REMOTE_ADDR).
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Content Security Policy (Django's own middleware): scripts and styles only from our static
# files (no inline script or handler anywhere), no framing, forms post only to us. data: images
# are the two-factor setup's QR code; 'self' covers our WebSockets.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its form templates, for FORM_RENDERER below
    "channels",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "accounts",
    "groups",
    "dialogues",
    "discussions",
    "notifications",
    "guidance",
    "indicator",
    "audit",
    "search",
    "moderation",
    "experience",
    "home",
    "api",
    "rest_framework",
    "drf_spectacular",
    "corsheaders",
    "core",
]

MIDDLEWARE = [
    "core.kept_pages.ReadTablesMiddleware",  # first: what the whole chain reads makes a kept page
    "corsheaders.middleware.CorsMiddleware",  # first: it answers preflight requests itself
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "core.static_files.StaticFilesMiddleware",  # WhiteNoise, without a thread hop under ASGI
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.private_responses.PrivateResponsesMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "core.request_body.RequestBodyLimitMiddleware",  # nothing above reads the body
    "accounts.middleware.SessionLifetimeMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "audit.context.AuditContextMiddleware",
    "home.middleware.AgendaCountMiddleware",  # a person who acted sees a fresh count
    "home.middleware.MethodNotAllowedPageMiddleware",  # last: it sees the view's own answer
]

ROOT_URLCONF = "config.urls"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home:dashboard"

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
                "accounts.context_processors.roles",
                "accounts.context_processors.session_timeout",
                # the header's unread count and moderation link, in one query (was one each)
                "home.context_processors.header",
                "home.context_processors.agenda",
            ],
            # core is not an app: its template libraries are named here
            "libraries": {
                "form_errors": "core.form_errors",
                "content_language": "core.content_language",
                "fragments": "core.fragments",
            },
        },
    },
]

# Forms render through templates/ (templates/django/forms/), so every form on the site, allauth's
# too, shares one field layout and one error summary (core/templatetags/form_errors.py).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# --- Data: SQLite under var/ unless DATABASE_URL names PostgreSQL -----------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
    # Under ASGI a request's database work does not find the previous request's connection, so
    # a maximum age kept nothing: daphne opened a new PostgreSQL connection for every request
    # (about 15 ms each, see bench/). psycopg's pool keeps a few open per process instead.
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("DJANGO_DB_POOL", True):
        DATABASES["default"].update(CONN_MAX_AGE=0, CONN_HEALTH_CHECKS=False)
        from psycopg_pool import ConnectionPool

        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            # A connection PostgreSQL ended while it waited in the pool is replaced, not handed out.
            "check": ConnectionPool.check_connection,
            "min_size": 1,
            "max_size": int(os.environ.get("DJANGO_DB_POOL_SIZE", "8")),
            "timeout": 10,
        }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: channel layer, Celery broker and cache, or their in-process stand-ins -------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "core.channel_layer.PubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": "bg"},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "core.redis_cache.RedisCache",  # Django's, keeping its client
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "bg",
            # Redis down must not hang a request: fail fast (callers carry on without the cache).
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Europe/Stockholm"
# Reliability: a task is acknowledged only after it ran, and given back to the broker if the
# worker process dies; tasks are idempotent (the outbox rows carry their state), so a task
# that runs twice does no harm. Redis hands an unacknowledged task to another worker after
# the visibility timeout, which must be longer than any task runs or waits for a retry
# (time limit 5 min, retry countdown at most 30 min).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60, "socket_connect_timeout": 3, "socket_timeout": 10}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker whose Redis goes away keeps trying to reconnect however long it takes (the default
# gives up after 100 tries, some 45 minutes, and the worker exits), and cancels the late-
# acknowledged tasks it was running: their acknowledgement cannot reach the broker over the new
# connection, the broker hands them out again, and the delivery rows make the second run a
# no-op (config/celery.py has the rest; tests/faults/test_worker_faults.py).
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# A request that queues a task must not hang while the broker is down: give up quickly (the
# outbox rows are committed and the sweep queues them again).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_BEAT_SCHEDULE: dict = {
    "notifications-daily-digest": {
        "task": "notifications.tasks.send_digests",
        "schedule": crontab(hour=7, minute=0),  # CELERY_TIMEZONE: 07:00 in Stockholm
    },
    "notifications-reminders": {
        "task": "notifications.tasks.send_reminders",
        "schedule": crontab(minute="*/15"),
    },
    "notifications-sweep": {
        "task": "notifications.tasks.requeue_undelivered",
        "schedule": 5 * 60,
    },
}

# --- Accounts (django-allauth) ----------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Beställargrupper] "
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm", "signup": "accounts.forms.SignupForm"}
# allauth's rate limits stay on with its defaults (failed sign-ins per IP and per account,
# sign-ups, password resets); the IP is TRUSTED_PROXY_COUNT's (the adapter). Except the one on
# confirmation e-mails, which left out the page's "we sent a link" with the e-mail (and so told
# whether someone had just signed up with an address): the adapter sends at most one such
# e-mail per address in this many seconds, and the page says the same either way.
ACCOUNT_RATE_LIMITS = {"confirm_email": None}
VERIFICATION_EMAIL_COOLDOWN_SECONDS = 180
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Beställargrupper"

# Demo users with this flag skip the two-factor requirement of facilitators and staff, and only
# while DEBUG is on.
DEMO_MFA_EXEMPT = DEBUG
# Sensitive actions (core/reauthentication.py: deleting the account, exporting personal data or
# the audit log, organisation reviews, roles and domains) ask for the password or the
# authenticator code again when the person last gave one more than this many minutes ago.
ACCOUNT_REAUTHENTICATION_TIMEOUT = int(os.environ.get("REAUTHENTICATION_MINUTES", "10")) * 60
ACCOUNT_REAUTHENTICATION_REQUIRED = True  # allauth's own: before e-mail addresses change

# --- Sessions (accounts/session_policy.py) ------------------------------------------------
# A signed-in session ends after SESSION_IDLE_MINUTES without a request (a live page's WebSocket
# does not count) and SESSION_LIFETIME_HOURS after signing in, however busy; facilitators and
# Django admin staff, who reach every organisation, get the shorter PRIVILEGED_ pair. The person
# then signs in again and comes back to the page. The cookie lives as long as the longest.
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", str(8 * 60)))
SESSION_LIFETIME_HOURS = int(os.environ.get("SESSION_LIFETIME_HOURS", str(7 * 24)))
PRIVILEGED_SESSION_IDLE_MINUTES = int(os.environ.get("PRIVILEGED_SESSION_IDLE_MINUTES", str(2 * 60)))
PRIVILEGED_SESSION_LIFETIME_HOURS = int(os.environ.get("PRIVILEGED_SESSION_LIFETIME_HOURS", "12"))
SESSION_COOKIE_AGE = max(SESSION_LIFETIME_HOURS, PRIVILEGED_SESSION_LIFETIME_HOURS) * 3600
# Signed-in pages warn this long before the session ends, with a button to stay signed in
# (WCAG 2.2.1 asks for at least 20 seconds; 0 turns the warning off, and the accessibility
# statement, home/accessibility.py, then lists the time limit as a failure).
# A kept page (core/kept_pages.py) is served for at most this long, however little changed: it
# bounds what only time changes (an edit window closing). 0 keeps no page.
KEPT_PAGES_SECONDS = int(os.environ.get("KEPT_PAGES_SECONDS", "60"))
# A page whose request began this soon after a table it read was written is not kept (the write's
# stamp comes from another process's clock).
KEPT_PAGES_MARGIN_MS = int(os.environ.get("KEPT_PAGES_MARGIN_MS", "250"))
SESSION_WARNING_SECONDS = int(os.environ.get("SESSION_WARNING_SECONDS", "300"))
# The header's agenda count is kept this long per person (home/agenda.py); 0: worked out on every page.
AGENDA_COUNT_SECONDS = 60

# --- Open data: the public API (/api/v1/) and the Atom feeds (/feeds/) -----------------------
# Read-only and anonymous: the API authenticates no one, so a signed-in person's session never
# changes an answer (api/views.py). Errors have one JSON shape (api/errors.py).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ClientAddressThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": False,
}
# Requests per client address (core/client_ip.py) to the API, "N/second|minute|hour|day";
# empty: no limit. Over it: 429 with Retry-After.
API_RATE_LIMIT = os.environ.get("DJANGO_API_RATE_LIMIT", "120/minute") or None
# How long shared caches and clients may keep a public API answer or feed, in seconds.
API_CACHE_SECONDS = int(os.environ.get("DJANGO_API_CACHE_SECONDS", "60"))
SPECTACULAR_SETTINGS = {
    "TITLE": "Beställargrupper open data API",
    "DESCRIPTION": (
        "Read-only public data of Beställargrupper: buyer groups, published need statements with their "
        "aggregate demand, market dialogues with their public records, themes and the goal 5 indicator's "
        "aggregates. It shows exactly what the platform's public pages show."
    ),
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_other_answers",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ThemeEnum": "groups.models.Theme.choices",
        "StageEnum": "groups.models.Stage.choices",
        "PriorityEnum": "groups.models.Priority.choices",
        "OrganisationKindEnum": "api.enums.ORGANISATION_KINDS",
        "OutcomeEnum": "api.enums.OUTCOMES",
        "AnswerKindEnum": "api.enums.ANSWER_KINDS",
    },
}
# Cross-origin reads only, from anywhere, without cookies: a browser page elsewhere may read
# the open data, never act with a visitor's session.
CORS_URLS_REGEX = r"^/(api/v1|feeds)/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_HEADERS = ("accept", "accept-language", "if-none-match", "if-modified-since")
CORS_EXPOSE_HEADERS = ("ETag", "Last-Modified", "Retry-After", "Link")
CORS_PREFLIGHT_MAX_AGE = 86400

# --- Language and time ------------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]  # English dates that read one way only (config/formats/en)
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# --- Files ------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- E-mail -----------------------------------------------------------------------------
# Django 6.1 configures mail through MAILERS; SMTP when EMAIL_HOST is set, else the console.
_EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if _EMAIL_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _EMAIL_HOST,
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Beställargrupper <noreply@bestallargrupper.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Platform rules ---------------------------------------------------------------------
INVITATION_VALID_DAYS = int(os.environ.get("INVITATION_VALID_DAYS", "14"))
# Notifications: rows per delivery task, people per digest task, tries before an e-mail is given
# up and the first retry's delay (it doubles), how old an undelivered row must be before the
# sweep queues it again, and how long an unsubscribe link works.
NOTIFICATION_BATCH_SIZE = 100
NOTIFICATION_DIGEST_BATCH_SIZE = 100
NOTIFICATION_MAX_ATTEMPTS = 8
NOTIFICATION_RETRY_BASE_SECONDS = int(os.environ.get("NOTIFICATION_RETRY_BASE_SECONDS", "30"))
NOTIFICATION_SWEEP_AFTER_SECONDS = 5 * 60
NOTIFICATION_SWEEP_LIMIT = 5000
NOTIFICATION_UNSUBSCRIBE_VALID_DAYS = int(os.environ.get("NOTIFICATION_UNSUBSCRIBE_VALID_DAYS", "90"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000")
CSRF_FAILURE_VIEW = "home.views.csrf_failure"
# Live discussions (discussions/consumers.py): the server pings a browser this often, closes one
# that has sent nothing (not even a pong) for this long, and sends the changes to who is here
# within this time as one roster (while N people connect, a few rosters a second instead of N).
THREAD_PING_SECONDS = 25
THREAD_SILENCE_SECONDS = 70
THREAD_PRESENCE_DELAY_SECONDS = 1.0
# A supplier may cancel a booked dialogue meeting until this many hours before it starts.
MEETING_CANCEL_HOURS = int(os.environ.get("MEETING_CANCEL_HOURS", "24"))
# An open dialogue's deadline may be moved earlier only to leave at least this many working days
# from the moment of the change; shorter needs a facilitator (dialogues/services/amendments.py: amend_dialogue).
DIALOGUE_MIN_NOTICE_WORKING_DAYS = int(os.environ.get("DIALOGUE_MIN_NOTICE_WORKING_DAYS", "2"))
GROUP_DOCUMENT_MAX_BYTES = int(os.environ.get("GROUP_DOCUMENT_MAX_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Office files are zip archives (core/uploads.py): one that lists more entries or unpacks to more
# than a real document, or compresses better than UPLOAD_ZIP_MAX_RATIO (counted, for the whole
# archive and for each entry, once it unpacks to UPLOAD_ZIP_RATIO_FROM_BYTES), is refused.
UPLOAD_ZIP_MAX_ENTRIES = 5000
UPLOAD_ZIP_MAX_UNPACKED_BYTES = 256 * 1024 * 1024
UPLOAD_ZIP_MAX_RATIO = 200
UPLOAD_ZIP_RATIO_FROM_BYTES = 10 * 1024 * 1024
# The largest request body read at all: a proposal's three attachments (dialogues/forms.py) and its
# text, with room for the form's own bytes. Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not count
# files, so a larger body is refused with 413 before it is read (core/request_body.py).
REQUEST_MAX_BYTES = 3 * GROUP_DOCUMENT_MAX_BYTES + DATA_UPLOAD_MAX_MEMORY_SIZE + 1024 * 1024
