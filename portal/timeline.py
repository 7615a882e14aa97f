"""One timeline per order: shipment, pre-flight, NF-e, SEFAZ answers, submission to Amazon, Amazon's status."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from fiscal.models import AmazonInvoiceStatus, Invoice, InvoiceEvent, InvoiceStatus
from orders.models import Order, PreflightStatus

FAILED_INVOICE = {InvoiceStatus.REJECTED, InvoiceStatus.DENIED, InvoiceStatus.BLOCKED}


@dataclass(frozen=True)
class Step:
    when: datetime | None
    title: str
    message: str
    state: str  # "ok", "error" or "pending"


def _shipment_step(order: Order) -> Step:
    message = _("Shipment %(id)s, Amazon status %(status)s.") % {"id": order.shipment_id or "-", "status": order.amazon_status}
    return Step(order.shipment_seen_at or order.purchase_date, _("Shipment at Amazon"), message, "ok")


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
    message = " ".join(p for p in (event.cstat, event.message) if p)
    if event.to_status and not message:
        message = InvoiceStatus(event.to_status).label if event.to_status in InvoiceStatus.values else event.to_status
    return Step(event.created_at, title, message, state)


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
    steps += [_event_step(e) for e in invoice.events.all()]
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
