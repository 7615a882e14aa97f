"""Read models of the pipeline: one row per order, and the time-to-Accepted figures per seller."""

from dataclasses import asdict, dataclass
from datetime import timedelta
from statistics import quantiles

from django.db.models import Prefetch
from django.utils import timezone

from fiscal.models import Invoice

from .models import Order


@dataclass
class OrderStatusRow:
    seller: str
    amazon_order_id: str
    status: str
    access_key: str
    error_category: str
    message: str
    seconds_to_accepted: float | None

    def as_dict(self) -> dict:
        return asdict(self)


def order_status_rows(orders=None) -> list[OrderStatusRow]:
    orders = (orders if orders is not None else Order.objects.all()).select_related("seller").prefetch_related(
        Prefetch("invoices", queryset=Invoice.objects.order_by("-created_at"))
    )
    return [_row(order) for order in orders.order_by("seller_id", "purchase_date")]


def _row(order: Order) -> OrderStatusRow:
    invoice = next(iter(order.invoices.all()), None)
    return OrderStatusRow(
        seller=str(order.seller), amazon_order_id=order.amazon_order_id, status=_status(order, invoice),
        access_key=invoice.access_key if invoice else "", error_category=_category(order, invoice),
        message=_message(order, invoice), seconds_to_accepted=invoice.seconds_to_accepted if invoice else None,
    )


def _status(order: Order, invoice: Invoice | None) -> str:
    if invoice is None:
        return "cancelled" if order.is_cancelled else f"preflight_{order.preflight_status}"
    if invoice.status == "authorized" and invoice.amazon_status != "not_sent":
        return f"amazon_{invoice.amazon_status}"
    return invoice.status


def _category(order: Order, invoice: Invoice | None) -> str:
    if invoice is not None and invoice.error_category:
        return invoice.error_category
    issues = order.preflight_issues or []
    return issues[0].get("category", "") if issues and order.preflight_status == "blocked" else ""


def _message(order: Order, invoice: Invoice | None) -> str:
    if invoice is not None and (invoice.error_message or invoice.amazon_error):
        return invoice.error_message or invoice.amazon_error
    if order.preflight_status == "blocked":
        return " ".join(issue.get("message", "") for issue in order.preflight_issues or [])
    return ""


@dataclass
class LatencySummary:
    count: int
    p50: float | None
    p95: float | None
    slowest_today: float | None


def latency_summary(seller, *, now=None) -> LatencySummary:
    """Seconds from the shipment's appearance to Amazon's Accepted: p50/p95 of the last 30 days, slowest today."""
    now = now or timezone.now()
    invoices = Invoice.objects.for_seller(seller).filter(
        amazon_accepted_at__gte=now - timedelta(days=30)
    ).select_related("order")
    values = [(i.seconds_to_accepted, i.amazon_accepted_at) for i in invoices if i.seconds_to_accepted is not None]
    seconds = sorted(v for v, _ in values)
    today_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    today = [v for v, accepted in values if accepted >= today_start]
    return LatencySummary(
        count=len(seconds), p50=_percentile(seconds, 50), p95=_percentile(seconds, 95),
        slowest_today=max(today) if today else None,
    )


def _percentile(values: list[float], pct: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return quantiles(values, n=100, method="inclusive")[pct - 1]
