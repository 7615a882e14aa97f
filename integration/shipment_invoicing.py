"""FBA Onsite: read the shipment, upload the authorized NF-e, follow Amazon's validation to Accepted.

`amazon_status` moves NOT_SENT|ERRORED -> SUBMITTING (claimed with a conditional UPDATE, so one worker
submits) -> PROCESSING -> ACCEPTED | ERRORED. Once a submission may have reached Amazon
(`amazon_submitted_at` is set before the request), the next attempt asks `getInvoiceStatus` first:
what Amazon accepted or is validating is never submitted twice. Shipment Invoicing v0 is used when the
order has a shipment id; the Delivery by Amazon API (programType FbaOnSite, by order id) otherwise.
Every exchange is an `InvoiceEvent(kind=AMAZON)` with a request summary (never a token) and the reply.
"""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fiscal.models import AmazonInvoiceStatus as Amazon
from fiscal.models import Invoice, InvoiceEvent, InvoiceStatus

from . import spapi
from .client import SpApiClient
from .http import SpApiError

FIRST_POLL = timedelta(seconds=1)  # Amazon validates an upload in about a second; every second counts to shipping
MAX_POLL = timedelta(minutes=5)
# A worker died mid-submission and its claim lapses: longer than one upload with its retries (20 s timeout, 3 tries).
STUCK_SUBMITTING = timedelta(minutes=3)


def fetch_shipment(order) -> spapi.ShipmentDetail | None:
    """getShipmentDetails (with an RDT); without a shipment id, learn it from the Delivery API by order id."""
    client = SpApiClient(order.seller)
    if not order.shipment_id:
        status = spapi.delivery_invoice_status(client, order.amazon_order_id)
        if not status.shipment_id:
            return None
        order.shipment_id = status.shipment_id
    detail = spapi.get_shipment_details(client, order.shipment_id)
    order.shipment_seen_at = order.shipment_seen_at or timezone.now()
    order.save(update_fields=["shipment_id", "shipment_seen_at", "updated_at"])
    return detail


def submit_invoice(invoice: Invoice) -> Invoice:
    """Upload the authorized nfeProc. Safe to call twice and after a crash."""
    if not _claim(invoice):
        invoice.refresh_from_db()
        return invoice
    invoice.refresh_from_db()
    client = SpApiClient(invoice.seller)
    try:
        if invoice.amazon_submitted_at and _settled_by_status(client, invoice):
            return invoice
        Invoice.objects.filter(pk=invoice.pk).update(amazon_submitted_at=timezone.now())
        _upload(client, invoice)
    except SpApiError as exc:
        return _submission_failed(invoice, exc)
    return _move(invoice, Amazon.PROCESSING, amazon_next_poll_at=timezone.now() + FIRST_POLL, amazon_error="")


def _claim(invoice: Invoice) -> bool:
    stuck = Q(amazon_status=Amazon.SUBMITTING, updated_at__lt=timezone.now() - STUCK_SUBMITTING)
    ready = Q(amazon_status__in=[Amazon.NOT_SENT, Amazon.ERRORED]) | stuck
    return bool(Invoice.objects.filter(ready, pk=invoice.pk, status=InvoiceStatus.AUTHORIZED)
                .update(amazon_status=Amazon.SUBMITTING, updated_at=timezone.now()))


def _settled_by_status(client, invoice: Invoice) -> bool:
    """A previous submission may have reached Amazon: if it is accepted or validating, do not send again."""
    status = _status(client, invoice)
    if status == "Accepted":
        _accepted(invoice)
        return True
    if status == "Processing":
        _move(invoice, Amazon.PROCESSING, amazon_next_poll_at=timezone.now() + FIRST_POLL)
        return True
    return False  # NotFound or Errored: submit (again)


def _upload(client, invoice: Invoice) -> None:
    upload = spapi.InvoiceUpload.of(bytes(invoice.authorized_xml))
    order = invoice.order
    summary = f"submitInvoice shipment={order.shipment_id or '-'} order={order.amazon_order_id} " \
              f"bytes={len(invoice.authorized_xml)} md5={upload.md5}"
    try:
        if order.shipment_id:
            spapi.submit_invoice(client, order.shipment_id, upload)
        else:
            spapi.delivery_submit_invoice(client, order.amazon_order_id, upload)
    except SpApiError as exc:
        _event(invoice, summary, f"{exc.status} {exc.code}: {exc.message} (request {exc.request_id})")
        raise
    _event(invoice, summary, "200 accepted for validation")


def _status(client, invoice: Invoice) -> str:
    order = invoice.order
    if order.shipment_id:
        reply = spapi.get_invoice_status(client, order.shipment_id)
    else:
        reply = spapi.delivery_invoice_status(client, order.amazon_order_id)
    _event(invoice, f"getInvoiceStatus shipment={order.shipment_id or '-'} order={order.amazon_order_id}",
           reply.status)
    return reply.status


def poll_invoice_status(invoice: Invoice) -> Invoice:
    """Processing -> poll later (backoff); Accepted; Errored with the reason; NotFound -> submit again."""
    if invoice.amazon_status != Amazon.PROCESSING:
        return invoice
    try:
        status = _status(SpApiClient(invoice.seller), invoice)
    except SpApiError as exc:
        if not exc.retryable:
            raise
        return _move(invoice, Amazon.PROCESSING, amazon_next_poll_at=timezone.now() + _next_interval(invoice))
    if status == "Accepted":
        return _accepted(invoice)
    if status == "Errored":
        return _move(invoice, Amazon.ERRORED, amazon_error=errored_message(invoice), amazon_next_poll_at=None)
    if status == "NotFound":  # Amazon lost it or never stored it: send again
        _move(invoice, Amazon.NOT_SENT, amazon_next_poll_at=None)
        return submit_invoice(invoice)
    return _move(invoice, Amazon.PROCESSING, amazon_next_poll_at=timezone.now() + _next_interval(invoice))


def resubmit_invoice(invoice: Invoice) -> Invoice:
    """After the seller or staff fixed what Amazon refused: send the (same or corrected) NF-e again."""
    if invoice.amazon_status != Amazon.ERRORED:
        return invoice
    return submit_invoice(invoice)


def _next_interval(invoice: Invoice) -> timedelta:
    """Doubles with the time already spent waiting: 1 s, 2 s, 4 s ... capped at 5 min."""
    waited = timezone.now() - (invoice.amazon_submitted_at or timezone.now())
    return min(MAX_POLL, max(FIRST_POLL, waited))


def _accepted(invoice: Invoice) -> Invoice:
    before = invoice.amazon_status
    invoice = _move(invoice, Amazon.ACCEPTED, amazon_accepted_at=timezone.now(), amazon_next_poll_at=None, amazon_error="")
    if before != Amazon.ACCEPTED and invoice.amazon_status == Amazon.ACCEPTED and invoice.amazon_accepted_at:
        from portal.models import WebhookEvent
        from portal.webhooks import notify_invoice

        notify_invoice(invoice, WebhookEvent.INVOICE_ACCEPTED)
    return invoice


def _submission_failed(invoice: Invoice, exc: SpApiError) -> Invoice:
    if exc.retryable:  # try again later; the status check first will tell whether Amazon got it
        return _move(invoice, Amazon.NOT_SENT, amazon_error="")
    message = _("Amazon refused the NF-e upload (%(code)s): %(reason)s. Fix the invoice or the order data and "
                "send it again from the invoice page.") % {"code": exc.code, "reason": exc.message}
    return _move(invoice, Amazon.ERRORED, amazon_error=message)


def errored_message(invoice: Invoice) -> str:
    return _("Amazon's validation refused the NF-e %(number)s for shipment %(shipment)s (status Errored). Usual "
             "causes: the issuer CNPJ is not the seller's, or the intermediary (infIntermed) is not Amazon's CNPJ "
             "15436940000103. Check the invoice in Seller Central, fix it and send it again.") % {
        "number": invoice.number, "shipment": invoice.order.shipment_id or invoice.order.amazon_order_id}


def _move(invoice: Invoice, to: str, **fields) -> Invoice:
    """Conditional on the status we read: of two workers polling the same invoice, one records the change."""
    before = invoice.amazon_status
    moved = Invoice.objects.filter(pk=invoice.pk, amazon_status=before).update(
        amazon_status=to, updated_at=timezone.now(), **fields)
    if moved and before != to:
        InvoiceEvent.objects.create(invoice=invoice, kind=InvoiceEvent.Kind.AMAZON, from_status=before, to_status=to,
                                    message=fields.get("amazon_error", ""))
    invoice.refresh_from_db()
    return invoice


def _event(invoice: Invoice, request: str, response: str) -> None:
    InvoiceEvent.objects.create(invoice=invoice, kind=InvoiceEvent.Kind.AMAZON, request=request, response=response)
