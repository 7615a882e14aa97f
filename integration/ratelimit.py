"""Token bucket per (seller, operation), shared by every worker through a PostgreSQL row.

Seeded from the default usage plans in the official models (rate in requests/s, burst); when Amazon
sends `x-amzn-RateLimit-Limit` the bucket takes that rate instead (it is per seller and application,
and changes over time). Taking a token is one short transaction with SELECT ... FOR UPDATE; the wait,
if any, happens outside it.
"""

import time
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from . import conf
from .http import SpApiError
from .models import RateBucket

# operationId -> (rate per second, burst), from each model's "Usage Plan" table.
USAGE_PLANS: dict[str, tuple[float, int]] = {
    "searchOrders": (0.0056, 20),
    "getOrder": (0.5, 30),
    "getShipmentDetails": (1.133, 25),
    "submitInvoice": (1.133, 25),
    "getInvoiceStatus": (1.133, 25),
    "deliverySubmitInvoice": (1.133, 25),
    "deliveryGetInvoiceStatus": (1.133, 25),
    "createRestrictedDataToken": (1.0, 10),
    "getMarketplaceParticipations": (0.016, 15),
}


@dataclass(frozen=True)
class Taken:
    waited: float


def _bucket(seller, operation: str) -> RateBucket:
    rate, burst = USAGE_PLANS[operation]
    bucket, _ = RateBucket.objects.get_or_create(
        seller=seller, operation=operation,
        defaults={"rate": rate, "burst": burst, "tokens": burst, "updated_at": timezone.now()},
    )
    return bucket


def _try_take(bucket_pk: int) -> float:
    """Take one token if there is one; return 0, or the seconds until the next token."""
    with transaction.atomic():
        bucket = RateBucket.objects.select_for_update().get(pk=bucket_pk)
        now = timezone.now()
        elapsed = max((now - bucket.updated_at).total_seconds(), 0.0)
        tokens = min(float(bucket.burst), bucket.tokens + elapsed * bucket.rate)
        wait = 0.0 if tokens >= 1 else (1 - tokens) / bucket.rate
        RateBucket.objects.filter(pk=bucket_pk).update(tokens=tokens - 1 if not wait else tokens, updated_at=now)
    return wait


def acquire(seller, operation: str, *, max_wait: float | None = None) -> Taken:
    """Block until a token is ours; raise a retryable SpApiError('Throttled') if that would take too long."""
    max_wait = conf.get("SP_API_MAX_THROTTLE_WAIT") if max_wait is None else max_wait
    bucket_pk = _bucket(seller, operation).pk
    waited = 0.0
    while wait := _try_take(bucket_pk):
        if waited + wait > max_wait:
            raise SpApiError("Throttled", f"{operation}: next request allowed in {wait:.0f}s", retryable=True)
        time.sleep(wait)
        waited += wait
    return Taken(waited)


def adjust(seller, operation: str, header: str | None) -> None:
    """Follow Amazon's `x-amzn-RateLimit-Limit` (best effort, only on some answers)."""
    try:
        rate = float(header) if header else 0.0
    except ValueError:
        return
    if rate > 0:
        RateBucket.objects.filter(seller=seller, operation=operation).exclude(rate=rate).update(rate=rate)


def drain(seller, operation: str) -> None:
    """After a 429 our bucket was too optimistic: empty it so the next call waits a full interval."""
    RateBucket.objects.filter(seller=seller, operation=operation).update(tokens=0, updated_at=timezone.now())
