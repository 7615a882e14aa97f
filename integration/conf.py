"""Integration settings with their defaults, read at call time so tests can override them."""

from django.conf import settings

DEFAULTS = {
    "AMAZON_MARKETPLACE_CNPJ": "15436940000103",  # Amazon Serviços de Varejo do Brasil Ltda., the NF-e intermediary
    "SP_API_MAX_ATTEMPTS": 5,
    "SP_API_BACKOFF_BASE": 1.0,  # seconds; full jitter on base * 2**attempt
    "SP_API_BACKOFF_CAP": 30.0,
    "SP_API_MAX_THROTTLE_WAIT": 30.0,  # longer client-side waits give the worker back instead of sleeping
    "SP_API_PAGE_SIZE": 100,
    "ORDER_IMPORT_OVERLAP_MINUTES": 10,
    "ORDER_IMPORT_LAG_MINUTES": 3,  # Amazon wants *Before at least 2 min in the past; one more for clock skew
    "ORDER_IMPORT_FIRST_WINDOW_DAYS": 7,
    "AMAZON_AUTHORIZE_URL": "",  # empty: LWA_CONSENT_URL
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])
