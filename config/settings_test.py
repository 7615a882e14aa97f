"""Test settings: the real PostgreSQL (never SQLite), tasks inline, fast password hashing."""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/onsite")
os.environ.setdefault("Q_SYNC", "1")

from .settings import *  # noqa: E402,F401,F403
from .settings import DATABASES, Q_CLUSTER  # noqa: E402

if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise RuntimeError("The test suite runs on PostgreSQL: set DATABASE_URL=postgres://...")

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
Q_CLUSTER["sync"] = os.environ["Q_SYNC"] == "1"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LWA_CLIENT_ID = "amzn1.application-oa2-client.test"
LWA_CLIENT_SECRET = "test-client-secret"
