"""Order import with Orders API v2026-01-01: a per-seller window sweep and the shared upsert.

Window = [cursor - 10 min overlap, now - 3 min]; every `paginationToken` is walked; orders are upserted
by (seller, amazon_order_id) and a version not newer than the stored `lastUpdatedTime` is ignored.
The cursor moves only after the whole window is stored. An order updated while we paginate leaves the
window (its new `lastUpdatedTime` is after the window's end) and is caught by the next window, which
starts before this one's end; ORDER_CHANGE notifications usually fetch it sooner.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from fiscal.models import Invoice, InvoiceStatus
from orders.models import Order, OrderItem, PreflightStatus
from products.models import Product

from . import conf, spapi
from .client import SpApiClient
from .http import SpApiError
from .models import ImportCursor
from .order_mapping import MappedOrder, map_order

log = logging.getLogger("integration.orders")
LEASE = timedelta(minutes=10)


@dataclass
class ImportResult:
    seen: int = 0
    created: int = 0
    updated: int = 0
    stale: int = 0
    cancelled: int = 0
    pages: int = 0
    complete: bool = False
    skipped: bool = False
    error: str = ""

    def add(self, other: "ImportResult") -> None:
        for name in ("seen", "created", "updated", "stale", "cancelled"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def import_orders(seller, *, now=None, client: SpApiClient | None = None) -> ImportResult:
    """Sweep one window for the seller. Safe to run twice at once (the second returns skipped=True)."""
    now = now or timezone.now()
    cursor = _claim(seller, now)
    if cursor is None:
        return ImportResult(skipped=True)
    try:
        return _sweep(seller, cursor, now, client or SpApiClient(seller))
    finally:
        ImportCursor.objects.filter(pk=cursor.pk).update(lease_until=None, last_run_at=timezone.now())


def _claim(seller, now) -> ImportCursor | None:
    cursor, _ = ImportCursor.objects.get_or_create(seller=seller)
    claimed = ImportCursor.objects.filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now), pk=cursor.pk).update(
        lease_until=now + LEASE
    )
    if not claimed:  # another worker is sweeping this seller
        return None
    cursor.refresh_from_db()
    return cursor


def window_for(cursor: ImportCursor, now) -> tuple:
    if cursor.resume_token and cursor.window_after and cursor.window_before:
        return cursor.window_after, cursor.window_before
    start = cursor.last_updated_before or now - timedelta(days=conf.get("ORDER_IMPORT_FIRST_WINDOW_DAYS"))
    after = start - timedelta(minutes=conf.get("ORDER_IMPORT_OVERLAP_MINUTES"))
    return after, now - timedelta(minutes=conf.get("ORDER_IMPORT_LAG_MINUTES"))


def _sweep(seller, cursor: ImportCursor, now, client: SpApiClient) -> ImportResult:
    after, before = window_for(cursor, now)
    token, result = cursor.resume_token, ImportResult()
    while True:
        try:
            page = spapi.search_orders(client, after=after, before=before, token=token,
                                       page_size=conf.get("SP_API_PAGE_SIZE"))
        except SpApiError as exc:
            return _interrupted(cursor, result, exc, token=token, window=(after, before))
        result.pages += 1
        result.add(upsert_orders(seller, [map_order(_complete(client, raw)) for raw in page.orders]))
        token = page.next_token
        if not token:
            break
        # a crash or a long throttle resumes here instead of walking the window again
        ImportCursor.objects.filter(pk=cursor.pk).update(resume_token=token, window_after=after, window_before=before)
    ImportCursor.objects.filter(pk=cursor.pk).update(
        last_updated_before=before, resume_token="", window_after=None, window_before=None, last_error=""
    )
    result.complete = True
    return result


def _interrupted(cursor, result: ImportResult, exc: SpApiError, *, token: str, window) -> ImportResult:
    """Keep the place when a retry may help; restart the window when Amazon refused our resume token."""
    log.warning("order import for seller %s stopped: %s", cursor.seller_id, exc.code)
    keep = exc.retryable and token
    ImportCursor.objects.filter(pk=cursor.pk).update(
        resume_token=token if keep else "", window_after=window[0] if keep else None,
        window_before=window[1] if keep else None, last_error=f"{exc.code}: {exc.message}"[:2000],
    )
    result.error = exc.code
    return result


def _complete(client: SpApiClient, raw: dict) -> dict:
    """searchOrders normally carries every dataset; fetch the order when an invoiceable one lacks them."""
    status = (raw.get("fulfillment") or {}).get("fulfillmentStatus")
    lacks = not (raw.get("recipient") or {}).get("deliveryAddress") or "tax" not in raw or "payment" not in raw
    if status in Order.INVOICEABLE_STATUSES and lacks:
        return spapi.get_order(client, raw["orderId"])
    return raw


def import_one(seller, order_id: str, *, client: SpApiClient | None = None) -> Order:
    """getOrder and upsert: for notifications about an order we may not know yet."""
    raw = spapi.get_order(client or SpApiClient(seller), order_id)
    upsert_orders(seller, [map_order(raw)])
    return Order.objects.get(seller=seller, amazon_order_id=order_id)


def upsert_orders(seller, mapped: list[MappedOrder]) -> ImportResult:
    """Insert new orders, update those Amazon changed since, ignore older versions; one transaction.

    Writers of one seller are serialized by locking its cursor row, so the sweep and the notification
    consumer never insert the same order twice or interleave item rewrites.
    """
    latest: dict[str, MappedOrder] = {}
    for order in mapped:  # the same order may appear twice in a window (Amazon issue #2297)
        if order.amazon_order_id not in latest or order.last_update_date > latest[order.amazon_order_id].last_update_date:
            latest[order.amazon_order_id] = order
    result = ImportResult(seen=len(latest))
    if not latest:
        return result
    ImportCursor.objects.get_or_create(seller=seller)
    with transaction.atomic():
        ImportCursor.objects.select_for_update().filter(seller=seller).exists()
        existing = {o.amazon_order_id: o for o in Order.objects.filter(seller=seller, amazon_order_id__in=list(latest))}
        created = _create(seller, [m for key, m in latest.items() if key not in existing])
        changed = [(existing[key], m) for key, m in latest.items()
                   if key in existing and m.last_update_date > existing[key].last_update_date]
        updated = _update(changed)
        _write_items(seller, created + updated)
        cancelled = _flag_cancellations([o for o, m in created + updated if m.is_cancelled])
    result.created, result.updated, result.cancelled = len(created), len(updated), cancelled
    result.stale = len(latest) - len(created) - len(updated)
    return result


def _create(seller, mapped: list[MappedOrder]) -> list[tuple[Order, MappedOrder]]:
    orders = Order.objects.bulk_create(
        [Order(seller=seller, amazon_order_id=m.amazon_order_id, **m.fields) for m in mapped]
    )
    return list(zip(orders, mapped))


def _update(changed: list[tuple[Order, MappedOrder]]) -> list[tuple[Order, MappedOrder]]:
    if not changed:
        return []
    now = timezone.now()
    for order, m in changed:
        for name, value in m.fields.items():
            setattr(order, name, value)
        order.updated_at = now
        order.preflight_status = PreflightStatus.UNCHECKED  # Amazon changed the data pre-flight judged
    names = [*changed[0][1].fields, "updated_at", "preflight_status"]
    Order.objects.bulk_update([o for o, _ in changed], names, batch_size=500)
    OrderItem.objects.filter(order__in=[o for o, _ in changed]).delete()
    return changed


def _write_items(seller, pairs: list[tuple[Order, MappedOrder]]) -> None:
    skus = {item.sku for _, m in pairs for item in m.items}
    products = dict(Product.objects.filter(seller=seller, sku__in=skus).values_list("sku", "pk")) if skus else {}
    OrderItem.objects.bulk_create([
        OrderItem(order=order, product_id=products.get(item.sku), **vars(item))
        for order, m in pairs for item in m.items
    ], batch_size=1000)


def _flag_cancellations(orders: list[Order]) -> int:
    """Amazon cancelled: an authorized NF-e for it must be cancelled at SEFAZ (the fiscal app does that)."""
    if not orders:
        return 0
    Invoice.objects.filter(order__in=orders, status=InvoiceStatus.AUTHORIZED).update(needs_cancellation=True)
    return len(orders)
