"""Dashboard figures: orders today, invoices by status, p95 seconds from shipment seen to Amazon Accepted."""

import math
from datetime import timedelta

from django.db.models import Count
from django.utils import timezone

from fiscal.models import Invoice, InvoiceStatus
from orders.models import Order
from sellers.models import Seller

P95_WINDOW = timedelta(days=30)


def orders_today(seller: Seller) -> int:
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return Order.objects.for_seller(seller).filter(purchase_date__gte=start).count()


def invoices_by_status(seller: Seller) -> list[tuple[str, str, int]]:
    """[(status, label, count)] for every status with at least one invoice, in the order of InvoiceStatus."""
    counts = dict(Invoice.objects.for_seller(seller).values_list("status").annotate(n=Count("pk")))
    return [(s.value, s.label, counts[s.value]) for s in InvoiceStatus if counts.get(s.value)]


def percentile(values: list[float], pct: float) -> float | None:
    """Nearest-rank percentile (no interpolation: the figure is one real invoice's time)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def p95_seconds_to_accepted(seller: Seller, now=None) -> float | None:
    since = (now or timezone.now()) - P95_WINDOW
    invoices = Invoice.objects.for_seller(seller).filter(amazon_accepted_at__gte=since).select_related("order")
    return percentile([s for s in (i.seconds_to_accepted for i in invoices) if s is not None], 95)
