"""Settings: every value comes from the environment (django-environ) with a working demo default."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# The demo default key is public on purpose; `check --deploy` flags it and production must set its own.
SECRET_KEY = env("SECRET_KEY", default="django-insecure-demo-only-change-me")
DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "axes",
    "django_q",
    "sellers",
    "products",
    "orders",
    "fiscal",
    "integration",
    "portal",
    "sandboxes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # axes last, as its documentation asks: it needs the authenticated user.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The demo runs web, qcluster and sandboxes on one SQLite file: wait for locks instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 30
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "portal:login"

# Login throttling, explicit (axes' defaults lock forever on IP alone): 5 failures per username+IP, 15 min cool-off.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_LOCKOUT_CALLABLE = "portal.lockout.lockout_response"  # JSON error body on /api/, a pt-BR page elsewhere

LANGUAGE_CODE = "pt-br"
LANGUAGES = [("pt-br", "Português (Brasil)"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Sao_Paulo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").exists() else []
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

# Secrets at rest: a dedicated list of Fernet keys, newest first (not derived from SECRET_KEY, so rotating one
# does not silently orphan the other). The demo key is public and only good for the demo.
FIELD_ENCRYPTION_KEYS = env.list(
    "FIELD_ENCRYPTION_KEYS", default=["mrc7TBaPXDQS8A8L2N8a0nGumGkTY8nTn6d9V2c3a-c="]
)

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Onsite Back-office <nao-responda@localhost>")
AGENCY_ALERT_EMAILS = env.list("AGENCY_ALERT_EMAILS", default=[])

# --- Amazon (Login with Amazon + SP-API). The sandboxes override the base URLs. ---
LWA_TOKEN_URL = env("LWA_TOKEN_URL", default="https://api.amazon.com/auth/o2/token")
LWA_CONSENT_URL = env("LWA_CONSENT_URL", default="https://sellercentral.amazon.com.br/apps/authorize/consent")
LWA_CLIENT_ID = env("LWA_CLIENT_ID", default="")
LWA_CLIENT_SECRET = env("LWA_CLIENT_SECRET", default="")
LWA_CLIENT_SECRET_ROTATED_AT = env("LWA_CLIENT_SECRET_ROTATED_AT", default="")  # YYYY-MM-DD
SP_API_APPLICATION_ID = env("SP_API_APPLICATION_ID", default="")
SP_API_BASE_URL = env("SP_API_BASE_URL", default="https://sellingpartnerapi-na.amazon.com")
SP_API_MARKETPLACE_ID = "A2Q3Y263D00KWC"  # Amazon.com.br
SP_API_TIMEOUT = env.float("SP_API_TIMEOUT", default=20.0)
SQS_ENDPOINT_URL = env("SQS_ENDPOINT_URL", default=None)
SQS_QUEUE_URL = env("SQS_QUEUE_URL", default="")
AWS_REGION = env("AWS_REGION", default="us-east-1")

# --- SEFAZ. Empty override = the official authorizer table (fiscal/data/authorizers.json). ---
SEFAZ_BASE_URL_OVERRIDE = env("SEFAZ_BASE_URL_OVERRIDE", default="")
SEFAZ_CA_BUNDLE = env("SEFAZ_CA_BUNDLE", default="")  # ICP-Brasil chain; empty = certifi (never verify=False)
SEFAZ_TIMEOUT = env.float("SEFAZ_TIMEOUT", default=30.0)
NFE_RESPONSIBLE_TECH = {
    "CNPJ": env("NFE_RESP_TEC_CNPJ", default="11222333000181"),
    "xContato": env("NFE_RESP_TEC_CONTACT", default="Suporte Onsite Back-office"),
    "email": env("NFE_RESP_TEC_EMAIL", default="suporte@example.com.br"),
    "fone": env("NFE_RESP_TEC_PHONE", default="1130000000"),
}

# --- Background tasks (django-q2). ORM broker by default; Redis when REDIS_URL is set. ---
REDIS_URL = env("REDIS_URL", default="")
Q_CLUSTER = {
    "name": env("Q_CLUSTER_NAME", default="onsite"),
    "workers": env.int("Q_WORKERS", default=2),
    "queue_limit": env.int("Q_WORKERS", default=2),  # = workers: prefetch time counts against `retry`
    "bulk": 1,
    "timeout": env.int("Q_TIMEOUT", default=120),
    "retry": env.int("Q_RETRY", default=600),  # > timeout + queue wait, or a slow task runs twice at once
    "max_attempts": 5,  # our own rows keep the real attempt count and backoff
    "ack_failures": False,
    "catch_up": False,
    "save_limit": 1000,
    "sync": env.bool("Q_SYNC", default=False),
    "poll": 0.5,
    "orm": "default",
}
if REDIS_URL:
    Q_CLUSTER.pop("orm")
    Q_CLUSTER["redis"] = REDIS_URL

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if REDIS_URL and not env("CACHE_URL", default=""):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "portal.api.errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Onsite Back-office API",
    "DESCRIPTION": "Sellers, products, offers, orders and NF-e of the FBA Onsite back-office.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The same choice sets appear on several models; one name each keeps the schema (and its check) clean.
    "ENUM_NAME_OVERRIDES": {"EnvironmentEnum": "sellers.models.Environment"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# Production hardening: on whenever DEBUG is off (`check --deploy` is clean with real values).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_PROXY", default=False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
