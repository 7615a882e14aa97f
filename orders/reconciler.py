"""The safety net: find every order whose work is due or was lost, and enqueue it again.

A lost task (Redis broker, killed worker, a drained queue after a SECRET_KEY change) therefore delays an
invoice by at most one reconciler period plus QUEUE_LOST_AFTER; it never loses it.
"""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from fiscal.models import ACTIVE_STATUSES, AmazonInvoiceStatus, Invoice, InvoiceStatus

from integration.shipment_invoicing import STUCK_SUBMITTING

from . import pipeline
from .models import Order, PreflightStatus

# A queued task that has not started by then is presumed lost (a broker that dropped it, a connection cut between
# our commit and the enqueue). Re-enqueuing a task that was only slow costs one idempotent no-op run.
QUEUE_LOST_AFTER = timedelta(seconds=90)
RECHECK_BLOCKED_AFTER = timedelta(minutes=10)  # pre-flight is local and cheap; fixes made anywhere release the order
BATCH = 500  # ids per pass: one small task each; the next pass takes the rest


def reconcile(*, now=None) -> int:
    """Enqueue every order with due work; returns how many were enqueued."""
    now = now or timezone.now()
    ids = set(_new_or_fixed_orders(now)) | set(_due_invoices(now)) | set(_cancellations())
    waiting = Order.objects.filter(pk__in=ids).filter(
        Q(pipeline_queued_at__isnull=True) | Q(pipeline_queued_at__lt=now - QUEUE_LOST_AFTER)
    )
    return pipeline.enqueue(list(waiting.values_list("pk", flat=True)[:BATCH]))


def _new_or_fixed_orders(now):
    """Invoiceable orders without an NF-e in progress: new, changed at Amazon, re-sent after a fix, or blocked
    long enough ago that the data may have been fixed elsewhere (re-authorization, a new certificate, rates)."""
    in_progress = Invoice.objects.filter(order=OuterRef("pk"), status__in=ACTIVE_STATUSES).exclude(status=InvoiceStatus.REJECTED)
    return (
        Order.objects.invoiceable()
        .filter(
            Q(preflight_status__in=[PreflightStatus.UNCHECKED, PreflightStatus.OK])
            | Q(preflight_status=PreflightStatus.BLOCKED, preflight_checked_at__lt=now - RECHECK_BLOCKED_AFTER)
        )
        .exclude(Exists(in_progress)).values_list("pk", flat=True)[:BATCH]
    )


def _due_invoices(now):
    stale_sending = now - pipeline.sending_stale_after()
    sefaz_due = Q(status__in=["signed", "processing", "unknown"]) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    stuck_sending = Q(status=InvoiceStatus.SENDING, updated_at__lte=stale_sending)
    amazon_due = Q(status=InvoiceStatus.AUTHORIZED, needs_cancellation=False) & (
        Q(amazon_status=AmazonInvoiceStatus.NOT_SENT)
        | Q(amazon_status=AmazonInvoiceStatus.SUBMITTING, updated_at__lte=now - STUCK_SUBMITTING)
        | Q(amazon_status=AmazonInvoiceStatus.PROCESSING, amazon_next_poll_at__lte=now)
    )
    return Invoice.objects.filter(sefaz_due | stuck_sending | amazon_due).values_list("order_id", flat=True)[:BATCH]


def _cancellations():
    return Invoice.objects.filter(status=InvoiceStatus.AUTHORIZED, needs_cancellation=True).values_list("order_id", flat=True)[:BATCH]

