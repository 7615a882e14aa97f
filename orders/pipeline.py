"""One order, as far as it can go now: pre-flight → signed NF-e → SEFAZ → Amazon upload → Amazon's Accepted.

Every step below is idempotent and claims its own row (fiscal.issuing, integration.shipment_invoicing), so a
task delivered twice, or re-run after a worker died half-way, continues from the stored state. Steps that must
wait (SEFAZ backoff, Amazon still processing) return; the reconciler brings the order back when it is due.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fiscal.models import ACTIVE_STATUSES, AmazonInvoiceStatus, Invoice, InvoiceStatus

from .models import Order, PreflightStatus

log = logging.getLogger(__name__)

SEFAZ_STEPS_PER_RUN = 4
AUTO_REBUILDS = 3  # SIGNED→SENDING→(UNKNOWN→lookup)…: a few hops now, the rest when due


def process_order(order: Order, *, now=None) -> Invoice | None:
    """Advance one order; returns its active invoice (or None while it waits or is blocked)."""
    Order.objects.filter(pk=order.pk).update(pipeline_queued_at=None)
    if order.is_cancelled:
        return _cancelled(order)
    if order.amazon_status not in Order.INVOICEABLE_STATUSES:
        return None  # Pending: Amazon has not released the address yet
    invoice = Invoice.objects.filter(order=order, status__in=ACTIVE_STATUSES).first()
    if invoice is None or invoice.status == InvoiceStatus.REJECTED:
        invoice = _prepare(order, invoice, now=now)
        if invoice is None:
            return None
    invoice = _drive_sefaz(invoice, now=now)
    return _drive_amazon(invoice)


def _prepare(order: Order, rejected: Invoice | None, *, now) -> Invoice | None:
    """Pre-flight, then a number and a signed NF-e (or the rejected one rebuilt under its own number)."""
    from fiscal.numbering import SeriesFrozen, rebuild_rejected, reserve_invoice
    from fiscal.preflight import run_preflight

    if rejected is not None and _waits_for_fix(order, rejected):
        return None  # rejected and not yet fixed: waits for the seller's "fix and re-send"
    if not _onboarding_allows(order) or not run_preflight(order, now=now):
        return None
    try:
        return rebuild_rejected(rejected) if rejected is not None else reserve_invoice(order)
    except SeriesFrozen:
        log.warning("series frozen for seller %s; order %s waits for staff", order.seller_id, order.pk)
        return None


def _waits_for_fix(order: Order, rejected: Invoice) -> bool:
    """Data rejections wait for the seller; a clock rejection (228/703) is rebuilt with the current time, a few
    times only: more would mean our own clock is wrong, which staff must see."""
    from fiscal.rejections import explain_rejection

    if order.preflight_status == PreflightStatus.UNCHECKED:
        return False  # the seller fixed something and re-sent
    if not explain_rejection(rejected.cstat, rejected.xmotivo).retryable:
        return True
    rebuilt = rejected.events.filter(kind="transition", from_status=InvoiceStatus.REJECTED).count()
    return rebuilt >= AUTO_REBUILDS


def _onboarding_allows(order: Order) -> bool:
    """The manual's four prerequisites gate automatic invoicing (staff may override, recorded on the seller)."""
    from portal.checklist import invoicing_allowed

    if invoicing_allowed(order.seller):
        return True
    issue = {
        "category": "credentials", "code": "onboarding_incomplete", "field": "", "fix_url_name": "portal:dashboard",
        "message": _("Automatic invoicing has not started: complete the onboarding checklist on the dashboard."),
    }
    Order.objects.filter(pk=order.pk).update(
        preflight_status=PreflightStatus.BLOCKED, preflight_issues=[issue], preflight_checked_at=timezone.now()
    )
    return False


def _drive_sefaz(invoice: Invoice, *, now) -> Invoice:
    from fiscal.issuing import advance_invoice

    for _step in range(SEFAZ_STEPS_PER_RUN):
        if invoice.status not in ("signed", "sending", "processing", "unknown") or not _due(invoice.next_attempt_at, now):
            break
        if invoice.status == InvoiceStatus.SENDING and not _sending_is_stale(invoice, now):
            break  # another worker is inside the SOAP call right now
        invoice = advance_invoice(invoice)
    return invoice


def sending_stale_after() -> timedelta:
    """A SENDING row older than two SEFAZ timeouts belongs to a worker that died mid-call."""
    return timedelta(seconds=2 * settings.SEFAZ_TIMEOUT + 30)


def _sending_is_stale(invoice: Invoice, now) -> bool:
    return invoice.updated_at <= (now or timezone.now()) - sending_stale_after()


def _drive_amazon(invoice: Invoice) -> Invoice:
    from integration.shipment_invoicing import poll_invoice_status, submit_invoice

    if invoice.status != InvoiceStatus.AUTHORIZED or invoice.needs_cancellation:
        return invoice
    if invoice.amazon_status in (AmazonInvoiceStatus.NOT_SENT, AmazonInvoiceStatus.SUBMITTING):
        invoice = submit_invoice(invoice)  # SUBMITTING: claimed again only once the dead worker's claim lapsed
    if invoice.amazon_status == AmazonInvoiceStatus.PROCESSING and _due(invoice.amazon_next_poll_at, None):
        invoice = poll_invoice_status(invoice)  # the reconciler brought us here because a poll is due
    if invoice.amazon_status == AmazonInvoiceStatus.PROCESSING:
        # Amazon answers in about a second: one follower polls every upload (orders.amazon_followup), so this
        # worker moves on to the next order instead of sleeping.
        from .amazon_followup import wake_follower

        wake_follower()
    return invoice


def _cancelled(order: Order) -> Invoice | None:
    """Amazon cancelled: an authorized NF-e is cancelled at SEFAZ inside the legal window; staff see the rest."""
    invoice = Invoice.objects.filter(order=order, status=InvoiceStatus.AUTHORIZED, needs_cancellation=True).first()
    if invoice is None:
        return None
    from fiscal.cancellation import cancel_invoice

    return cancel_invoice(invoice, reason=_("Sale cancelled by the marketplace before shipping (Amazon)"))


def _due(moment, now) -> bool:
    return moment is None or moment <= (now or timezone.now())


def enqueue(order_ids: list[int]) -> int:
    """Mark and enqueue after commit. Task arguments are ids only (payloads are pickled and signed by django-q2)."""
    from django_q.tasks import async_task

    if not order_ids:
        return 0
    Order.objects.filter(pk__in=order_ids).update(pipeline_queued_at=timezone.now())

    def push():
        for order_id in order_ids:
            async_task("orders.tasks.process_order_task", order_id, group="pipeline")

    transaction.on_commit(push)
    return len(order_ids)
