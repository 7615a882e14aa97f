"""A circuit breaker per SEFAZ authorizer: when one hangs, its invoices wait and the workers serve other states.

Without it a hung authorizer costs a worker SEFAZ_TIMEOUT (30 s) per invoice and per lookup, so one state's
outage would hold up every seller. After FAILURES_TO_OPEN consecutive timeouts or unusable replies the
authorizer is skipped for OPEN_FOR; then one call is tried again (a failure re-opens it, a reply closes it).
Nothing is sent while it is open, so skipping can never duplicate or lose an NF-e.
"""

from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from .models import AuthorizerCircuit

FAILURES_TO_OPEN = 3
OPEN_FOR = timedelta(minutes=2)


def circuit_key(authorizer: str, environment: int) -> str:
    return f"{authorizer}:{environment}"


def open_until(key: str):
    """When the authorizer may be called again, or None if it may be called now."""
    row = AuthorizerCircuit.objects.filter(key=key, open_until__gt=timezone.now()).only("open_until").first()
    return row.open_until if row else None


def record_failure(key: str, error: str) -> None:
    AuthorizerCircuit.objects.get_or_create(key=key)
    AuthorizerCircuit.objects.filter(key=key).update(failures=F("failures") + 1, last_error=error[:500])
    AuthorizerCircuit.objects.filter(key=key, failures__gte=FAILURES_TO_OPEN).update(open_until=timezone.now() + OPEN_FOR)


def record_success(key: str) -> None:
    AuthorizerCircuit.objects.filter(key=key).exclude(failures=0, open_until__isnull=True).update(
        failures=0, open_until=None, last_error="")
