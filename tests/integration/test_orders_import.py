from decimal import Decimal

from django.test import override_settings
from django.utils import timezone

from integration.client import SpApiClient
from integration.models import ImportCursor
from integration.orders_import import import_orders, window_for
from orders.models import Order, OrderItem
from tests.factories import ProductFactory

from .conftest import ORDER_SP, SELLER_SP, control
from .helpers import authorized_invoice


def sandbox_orders(handle, seller_id=SELLER_SP) -> set[str]:
    return {r["order_id"] for r in handle.store.all("SELECT order_id FROM orders WHERE seller_id = ?", seller_id)}


def test_import_maps_the_brazilian_fiscal_data_of_an_order(amazon, sp_seller):
    product = ProductFactory(seller=sp_seller, sku="SKU-A-001")
    result = import_orders(sp_seller)
    assert result.complete and result.created == len(sandbox_orders(amazon))
    order = Order.objects.get(seller=sp_seller, amazon_order_id=ORDER_SP)
    assert (order.buyer_document, order.buyer_name) == ("12345678909", "Ana Beatriz Souza")
    assert order.marketplace_cnpj == "15436940000103"
    assert order.payments == [{"method": "CreditCard", "amount": "89.90", "acquirer_cnpj": "01027058000191",
                               "card_brand": "Visa", "authorization_code": "084512"}]
    assert (order.street, order.number, order.district, order.uf, order.cep) == (
        "Rua Oscar Freire", "379", "Jardim Paulista", "SP", "01426001")
    assert order.raw_address["postalCode"] == "01426-001"
    assert order.order_total == Decimal("89.90") and order.amazon_status == "UNSHIPPED"
    item = order.items.get()
    assert (item.sku, item.quantity, item.item_price, item.product) == ("SKU-A-001", 1, Decimal("89.90"), product)


def test_reimporting_the_same_window_duplicates_nothing(amazon, sp_seller):
    first = import_orders(sp_seller)
    counts = (Order.objects.count(), OrderItem.objects.count())
    ImportCursor.objects.update(last_updated_before=None)  # walk the very same window again
    second = import_orders(sp_seller)
    assert (Order.objects.count(), OrderItem.objects.count()) == counts
    assert second.created == 0 and second.updated == 0 and second.stale == first.created


def test_every_page_is_walked(amazon, sp_seller):
    with override_settings(SP_API_PAGE_SIZE=1):
        result = import_orders(sp_seller)
    assert result.pages == len(sandbox_orders(amazon)) > 1
    assert set(Order.objects.values_list("amazon_order_id", flat=True)) == sandbox_orders(amazon)


def test_the_next_window_overlaps_the_previous_by_ten_minutes(amazon, sp_seller):
    now = timezone.now()
    import_orders(sp_seller, now=now)
    cursor = ImportCursor.objects.get(seller=sp_seller)
    assert cursor.last_updated_before == now.replace(microsecond=now.microsecond) - timezone.timedelta(minutes=3)
    after, before = window_for(cursor, now + timezone.timedelta(minutes=5))
    assert after == cursor.last_updated_before - timezone.timedelta(minutes=10)
    assert before == now + timezone.timedelta(minutes=2)


def test_a_429_storm_mid_walk_loses_no_order(amazon, sp_seller):
    with override_settings(SP_API_PAGE_SIZE=2, SP_API_MAX_ATTEMPTS=2):
        control(amazon, "POST", "faults", operation="searchOrders", status=429, count=4)
        stopped = import_orders(sp_seller)
        assert not stopped.complete and stopped.error == "QuotaExceeded"
        assert ImportCursor.objects.get(seller=sp_seller).last_updated_before is None  # the cursor did not move
        control(amazon, "DELETE", "faults")
        finished = import_orders(sp_seller)
    assert finished.complete
    assert set(Order.objects.values_list("amazon_order_id", flat=True)) == sandbox_orders(amazon)


def test_an_interrupted_window_resumes_from_its_pagination_token(amazon, sp_seller):
    with override_settings(SP_API_PAGE_SIZE=2, SP_API_MAX_ATTEMPTS=1):
        first_page_only = InterleavingClient(sp_seller, lambda: control(
            amazon, "POST", "faults", operation="searchOrders", status=503, count=1))
        stopped = import_orders(sp_seller, client=first_page_only)
        cursor = ImportCursor.objects.get(seller=sp_seller)
        assert stopped.pages == 1 and cursor.resume_token and cursor.last_updated_before is None
        resumed = import_orders(sp_seller)
    assert resumed.complete and resumed.created + stopped.created == len(sandbox_orders(amazon))
    assert resumed.seen < len(sandbox_orders(amazon))  # the first page was not walked again


class InterleavingClient(SpApiClient):
    """Lets the test change things at Amazon between the first and the second page."""

    def __init__(self, seller, between_pages):
        super().__init__(seller)
        self.between_pages, self.pages = between_pages, 0

    def call(self, operation, *args, **kwargs):
        if operation == "searchOrders":
            self.pages += 1
            if self.pages == 2:
                self.between_pages()
        return super().call(operation, *args, **kwargs)


def test_an_order_updated_while_paginating_is_not_lost(amazon, sp_seller):
    last = sorted(sandbox_orders(amazon))[-1]
    moved = {}
    client = InterleavingClient(sp_seller, lambda: moved.update(
        control(amazon, "PATCH", f"orders/{last}", buyer={"buyerName": "Nome Corrigido"})["order"]))
    with override_settings(SP_API_PAGE_SIZE=1):
        import_orders(sp_seller, client=client)
    new_version = timezone.datetime.fromisoformat(moved["lastUpdatedTime"].replace("Z", "+00:00"))
    stored = Order.objects.filter(amazon_order_id=last).first()
    cursor = ImportCursor.objects.get(seller=sp_seller)
    next_after, _ = window_for(cursor, timezone.now() + timezone.timedelta(minutes=5))
    # the new version left this window; the next window starts before it, so the sweep will fetch it
    assert stored is None or stored.last_update_date < new_version
    assert next_after <= new_version


def test_an_older_version_never_overwrites_a_newer_one(amazon, sp_seller):
    import_orders(sp_seller)
    order = Order.objects.get(amazon_order_id=ORDER_SP)
    Order.objects.filter(pk=order.pk).update(last_update_date=order.last_update_date + timezone.timedelta(hours=1),
                                            buyer_name="Versão mais nova")
    ImportCursor.objects.update(last_updated_before=None)
    result = import_orders(sp_seller)
    assert result.updated == 0
    assert Order.objects.get(pk=order.pk).buyer_name == "Versão mais nova"


def test_a_cancelled_order_flags_its_authorized_invoice_for_cancellation(amazon, sp_seller):
    import_orders(sp_seller)
    order = Order.objects.get(amazon_order_id=ORDER_SP)
    invoice = authorized_invoice(order)
    control(amazon, "POST", f"orders/{ORDER_SP}/cancel")
    _backdate_sandbox_order(amazon, ORDER_SP)
    ImportCursor.objects.update(last_updated_before=None)
    result = import_orders(sp_seller)
    assert result.cancelled == 1
    order.refresh_from_db()
    invoice.refresh_from_db()
    assert order.is_cancelled and invoice.needs_cancellation


def _backdate_sandbox_order(handle, order_id: str, minutes: int = 5) -> None:
    """Amazon's lag rule keeps the last 2 minutes out of searchOrders; move the change into the past."""
    stamp = (timezone.now() - timezone.timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")
    row = handle.store.one("SELECT body FROM orders WHERE order_id = ?", order_id)
    body = {**row["body"], "lastUpdatedTime": stamp}
    handle.store.execute("UPDATE orders SET updated_time = ?, body = ? WHERE order_id = ?", stamp, body, order_id)
