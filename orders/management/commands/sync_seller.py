"""Run one whole cycle for a seller, synchronously: import, then drive every order as far as it goes."""

import time

from django.core.management.base import BaseCommand
from django.db.models import Q

from orders import pipeline
from orders.models import Order
from orders.status import order_status_rows
from sellers.lookup import find_seller
from sellers.models import Seller

MAX_SECONDS = 120  # Amazon's Processing→Accepted and SEFAZ backoffs are waited for, up to this long


class Command(BaseCommand):
    help = "Import a seller's orders and push each one through pre-flight, SEFAZ and Amazon, synchronously."

    def add_arguments(self, parser):
        parser.add_argument("seller", help="Seller id, CNPJ or selling partner id")
        parser.add_argument("--once", action="store_true", help="One cycle (the default; kept for scripts)")
        parser.add_argument("--no-import", action="store_true", help="Skip the Amazon import")
        parser.add_argument("--max-seconds", type=float, default=MAX_SECONDS)

    def handle(self, *args, seller: str, no_import: bool = False, max_seconds: float = MAX_SECONDS, **options):
        target = find_seller(seller)
        if not no_import:
            self._import(target)
        deadline = time.monotonic() + max_seconds
        while True:
            for order in Order.objects.filter(seller=target).exclude(pk__in=_settled(target)):
                pipeline.process_order(order)
            if not _pending(target) or time.monotonic() > deadline:
                break
            time.sleep(1)
        for row in order_status_rows(Order.objects.filter(seller=target)):
            self.stdout.write(f"{row.amazon_order_id:20} {row.status:22} {row.error_category:18} {row.message[:90]}")

    def _import(self, seller: Seller) -> None:
        from integration.orders_import import import_orders
        from integration.http import SpApiError

        try:
            result = import_orders(seller)
        except SpApiError as exc:
            self.stderr.write(f"Amazon import failed: {exc}")
            return
        self.stdout.write(f"Imported: {result}")


def _settled(seller: Seller):
    """Orders with nothing left to do now: accepted by Amazon, blocked, or waiting for a fix."""
    done = Q(invoices__amazon_status="accepted") | Q(invoices__status__in=["rejected", "denied", "blocked"])
    return Order.objects.filter(seller=seller).filter(done | Q(preflight_status="blocked")).values("pk")


def _pending(seller: Seller) -> bool:
    return Order.objects.filter(seller=seller).exclude(pk__in=_settled(seller)).filter(
        Q(invoices__status__in=["signed", "sending", "processing", "unknown"])
        | Q(invoices__amazon_status__in=["not_sent", "submitting", "processing"], invoices__status="authorized")
    ).exists()
