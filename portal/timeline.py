"""One timeline per order: shipment, pre-flight, NF-e, SEFAZ answers, submission to Amazon, Amazon's status."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from fiscal.models import AmazonInvoiceStatus, Invoice, InvoiceEvent, InvoiceStatus
from orders.models import Order, PreflightStatus

FAILED_INVOICE = {InvoiceStatus.REJECTED, InvoiceStatus.DENIED, InvoiceStatus.BLOCKED}


@dataclass(frozen=True)
class Step:
    when: datetime | None
    title: str
    message: str
    state: str  # "ok", "error" or "pending"


AMAZON_ORDER_STATUS = {  # Orders API v2026 fulfillment statuses (and v0 spellings), as the seller reads them
    "PENDING": _lazy("waiting for payment"), "Pending": _lazy("waiting for payment"),
    "UNSHIPPED": _lazy("to be shipped"), "Unshipped": _lazy("to be shipped"),
    "PARTIALLY_SHIPPED": _lazy("partially shipped"), "PartiallyShipped": _lazy("partially shipped"),
    "SHIPPED": _lazy("shipped"), "Shipped": _lazy("shipped"),
    "CANCELLED": _lazy("cancelled"), "Canceled": _lazy("cancelled"),
}


def _shipment_step(order: Order) -> Step:
    status = AMAZON_ORDER_STATUS.get(order.amazon_status, order.amazon_status)
    if order.shipment_id:
        message = _("Shipment %(id)s; order %(status)s at Amazon.") % {"id": order.shipment_id, "status": status}
    else:
        message = _("Amazon has not created the shipment yet; order %(status)s.") % {"status": status}
    state = "error" if order.is_cancelled else "ok"
    return Step(order.shipment_seen_at or order.purchase_date, _("Shipment at Amazon"), message, state)


def _preflight_step(order: Order) -> Step:
    if order.preflight_status == PreflightStatus.BLOCKED:
        message = " ".join(i.get("message", "") for i in order.preflight_issues or [])
        return Step(order.preflight_checked_at, _("Pre-flight"), message, "error")
    if order.preflight_status == PreflightStatus.OK:
        return Step(order.preflight_checked_at, _("Pre-flight"), _("All data needed for the NF-e is present."), "ok")
    return Step(None, _("Pre-flight"), _("Not checked yet."), "pending")


def _event_step(event: InvoiceEvent) -> Step:
    state = "error" if event.to_status in FAILED_INVOICE else "ok"
    if event.kind == InvoiceEvent.Kind.SEFAZ:
        title = _("SEFAZ answer")
    elif event.kind == InvoiceEvent.Kind.AMAZON:
        title = _("Amazon")
    else:
        title = event.get_kind_display()
    message = " ".join(p for p in (event.cstat, event.message) if p) or _status_label(event)
    return Step(event.created_at, title, message, state)


def _is_amazon_poll(event: InvoiceEvent) -> bool:
    return event.kind == InvoiceEvent.Kind.AMAZON and not (event.to_status or event.message)


def _status_label(event: InvoiceEvent) -> str:
    """An event without a message: its new status in words, or the call it records (never a token)."""
    labels = AmazonInvoiceStatus if event.kind == InvoiceEvent.Kind.AMAZON else InvoiceStatus
    if event.to_status in labels.values:
        return str(labels(event.to_status).label)
    first_line = (event.request or "").strip().splitlines()[:1]
    return _("Request: %(call)s") % {"call": first_line[0][:120]} if first_line else ""


def _amazon_steps(invoice: Invoice) -> list[Step]:
    steps = []
    if invoice.amazon_submitted_at:
        steps.append(Step(invoice.amazon_submitted_at, _("Submitted to Amazon"), _("Authorized XML sent."), "ok"))
    if invoice.amazon_status == AmazonInvoiceStatus.ACCEPTED:
        steps.append(Step(invoice.amazon_accepted_at, _("Amazon status"), invoice.get_amazon_status_display(), "ok"))
    elif invoice.amazon_status == AmazonInvoiceStatus.ERRORED:
        steps.append(Step(None, _("Amazon status"), invoice.amazon_error or invoice.get_amazon_status_display(), "error"))
    elif invoice.amazon_status != AmazonInvoiceStatus.NOT_SENT:
        steps.append(Step(None, _("Amazon status"), invoice.get_amazon_status_display(), "pending"))
    return steps


def _invoice_steps(invoice: Invoice) -> list[Step]:
    title = _("NF-e %(number)s series %(series)s") % {"number": invoice.number, "series": invoice.series}
    steps = [Step(invoice.issued_at, title, _("Access key %(key)s") % {"key": invoice.access_key}, "ok")]
    # Amazon's polls are kept for support in the admin; the seller sees each change of Amazon's status instead.
    steps += [_event_step(e) for e in invoice.events.all() if not _is_amazon_poll(e)]
    return steps + _amazon_steps(invoice)


def order_timeline(order: Order) -> list[Step]:
    steps = [_shipment_step(order), _preflight_step(order)]
    for invoice in order.invoices.order_by("created_at").prefetch_related("events"):
        steps += _invoice_steps(invoice)
    return steps


def can_retry(order: Order) -> bool:
    """"Tentar novamente" is offered when the last step failed: blocked pre-flight, a refused NF-e or upload."""
    if order.preflight_status == PreflightStatus.BLOCKED:
        return True
    latest = order.invoices.order_by("-created_at").first()
    return bool(latest and (latest.status in FAILED_INVOICE or latest.amazon_status == AmazonInvoiceStatus.ERRORED))
