"""Following Amazon's validation of uploaded NF-e for every seller from one loop, so no pipeline worker sleeps.

Amazon validates an upload in about a second. Waiting for that inside each order's task kept a worker idle per
order and made bursts queue for minutes; one follower polls every due invoice as soon as it is due instead.
On PostgreSQL an advisory lock keeps it to one follower at a time; elsewhere two followers only repeat a GET
(moves of amazon_status are conditional, so nothing is recorded twice).
"""

import time
from contextlib import contextmanager

from django.db import connection
from django.db.models import Min
from django.utils import timezone

from fiscal.models import AmazonInvoiceStatus, Invoice, InvoiceStatus

FOLLOW_SECONDS = 50.0  # below the one-minute schedule, so followers overlap only by accident
LOCK_KEY = 7_340_001  # pg advisory lock id of the follower
BATCH = 50  # invoices polled per pass; getInvoiceStatus allows 1.133/s per seller, burst 25


def processing():
    return Invoice.objects.filter(status=InvoiceStatus.AUTHORIZED, amazon_status=AmazonInvoiceStatus.PROCESSING)


def follow_amazon(*, max_seconds: float = FOLLOW_SECONDS, sleep=time.sleep) -> int:
    """Poll every invoice Amazon is validating as it comes due, until none is left or time is up."""
    from integration.shipment_invoicing import poll_invoice_status

    polled, deadline = 0, time.monotonic() + max_seconds
    with _only_follower() as alone:
        while alone:
            for invoice in processing().filter(amazon_next_poll_at__lte=timezone.now()).order_by("amazon_next_poll_at")[:BATCH]:
                poll_invoice_status(invoice)
                polled += 1
            pause = _pause_until_next_due()
            if pause is None or time.monotonic() + pause > deadline:
                break
            sleep(pause)
    return polled


def _pause_until_next_due() -> float | None:
    following = processing().aggregate(next_due=Min("amazon_next_poll_at"))["next_due"]
    if following is None:
        return None
    return min(1.0, max(0.05, (following - timezone.now()).total_seconds()))


@contextmanager
def _only_follower():
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


def wake_follower() -> None:
    """After an upload: make sure a follower is running (a second one returns at once)."""
    from django.db import transaction
    from django_q.tasks import async_task

    transaction.on_commit(lambda: async_task("orders.tasks.follow_amazon_task", group="amazon-follow-up"))
