"""The one way an invoice changes status: checked against TRANSITIONS, recorded in InvoiceEvent, race-safe."""

from django.db import transaction
from django.utils import timezone

from .models import TRANSITIONS, Invoice, InvoiceEvent


class TransitionNotAllowed(Exception):
    """The pair (from, to) is not in TRANSITIONS: a bug, never a retry."""


class StaleInvoice(Exception):
    """Another worker moved the invoice first: the caller re-reads it and usually stops."""


def transition(invoice: Invoice, to: str, *, message: str = "", cstat: str = "", actor: str = "",
               request: str = "", response: str = "", **fields) -> Invoice:
    """Move `invoice` to `to` and write the event, in one transaction.

    The UPDATE is conditional on the status we read: of two workers holding the same invoice only
    one moves it; the other gets StaleInvoice. `fields` are stored in the same UPDATE.
    """
    source = invoice.status
    if to not in TRANSITIONS[source]:
        raise TransitionNotAllowed(f"invoice {invoice.pk}: {source} -> {to}")
    fields = {**fields, "status": to, "updated_at": timezone.now()}
    if cstat:  # the invoice shows SEFAZ's latest code; the event keeps each one
        fields.setdefault("cstat", cstat)
    with transaction.atomic():
        if not Invoice.objects.filter(pk=invoice.pk, status=source).update(**fields):
            raise StaleInvoice(f"invoice {invoice.pk} is no longer {source}")
        InvoiceEvent.objects.create(
            invoice=invoice, kind=InvoiceEvent.Kind.TRANSITION, from_status=source, to_status=to, cstat=cstat,
            message=message, actor=actor, request=request, response=response,
        )
    for name, value in fields.items():
        setattr(invoice, name, value)
    _announce(invoice, to)
    return invoice


def _announce(invoice: Invoice, to: str) -> None:
    """The seller's webhooks hear of the outcomes they subscribe to (sent after the commit, retried on failure)."""
    from portal.models import WebhookEvent
    from portal.webhooks import notify_invoice

    event = {"authorized": WebhookEvent.INVOICE_AUTHORIZED, "rejected": WebhookEvent.INVOICE_REJECTED}.get(to)
    if event:
        notify_invoice(invoice, event)


def note(invoice: Invoice, message: str, *, kind: str = InvoiceEvent.Kind.NOTE, cstat: str = "",
         request: str = "", response: str = "", actor: str = "") -> InvoiceEvent:
    """An event without a status change: a SEFAZ exchange, an alert, a decision worth keeping."""
    return InvoiceEvent.objects.create(invoice=invoice, kind=kind, cstat=cstat, message=message,
                                       request=request, response=response, actor=actor)
