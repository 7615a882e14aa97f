"""The order pipeline: pre-flight → number and signed NF-e → SEFAZ → Amazon upload → Amazon's Accepted.

Our tables hold the state; django-q2 only triggers these functions. Each step claims its row (a conditional
UPDATE inside the fiscal/integration services) so a duplicate delivery finds nothing to do, and each step is
safe to call again after a crash: it looks at the stored state and continues from there.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fiscal.models import AmazonInvoiceStatus, Invoice, InvoiceEvent, InvoiceStatus

from .models import Order, PreflightStatus

log = logging.getLogger(__name__)


def enqueue_order(order: Order) -> None:
    """Trigger the pipeline for an order once the current transaction commits (ids only, never objects)."""
    from django_q.tasks import async_task

    order_id = order.pk
    transaction.on_commit(lambda: async_task("orders.tasks.process_order_task", order_id))


def active_invoice(order: Order) -> Invoice | None:
    return order.invoices.exclude(status__in=["denied", "voided", "cancelled"]).first()


def resend_order(order: Order, *, actor: str) -> bool:
    """The seller's "fix and re-send": re-check the data and put the order back in the flow.

    A rejected NF-e is rebuilt under the same number (SEFAZ never accepted it); an invoice Amazon refused is
    uploaded again. Returns False when there is nothing to re-send (already authorized and accepted).
    """
    invoice = active_invoice(order)
    if invoice and invoice.status == InvoiceStatus.AUTHORIZED and invoice.amazon_status == AmazonInvoiceStatus.ACCEPTED:
        return False
    if invoice and invoice.amazon_status == AmazonInvoiceStatus.ERRORED:
        Invoice.objects.filter(pk=invoice.pk, amazon_status=AmazonInvoiceStatus.ERRORED).update(
            amazon_status=AmazonInvoiceStatus.NOT_SENT, amazon_next_poll_at=None
        )
        _note(invoice, _("Re-sent to Amazon by %(actor)s after a fix.") % {"actor": actor}, actor)
    Order.objects.filter(pk=order.pk).update(preflight_status=PreflightStatus.UNCHECKED)
    if invoice and invoice.status == InvoiceStatus.REJECTED:
        _note(invoice, _("Fix confirmed by %(actor)s: the NF-e will be rebuilt with the same number.") % {"actor": actor}, actor)
    enqueue_order(order)
    return True


def _note(invoice: Invoice, message: str, actor: str) -> None:
    InvoiceEvent.objects.create(invoice=invoice, kind=InvoiceEvent.Kind.NOTE, message=message, actor=actor)


def mark_shipment_seen(order: Order, *, when=None) -> None:
    """Start the clock to Amazon's Accepted the first time we learn of the shipment (never moved later)."""
    Order.objects.filter(pk=order.pk, shipment_seen_at__isnull=True).update(shipment_seen_at=when or timezone.now())
