"""Cancellation (event 110111, within 24 h of authorization) and the correction letter (CC-e, 110110)."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from .models import Invoice, InvoiceEvent, InvoiceStatus
from .sefaz import messages
from .sefaz.client import SefazClient
from .sefaz.replies import EventReply
from .transitions import note, transition

CANCEL_WINDOW = timedelta(hours=24)  # Ajuste SINIEF 07/05 as the authorizers apply it (SEFAZ: 501 after)
REGISTERED = {"135", "136", "155"}  # registered (and linked), registered unlinked, out-of-time cancellation


class EventRefused(Exception):
    """The event cannot be sent, or SEFAZ refused it; the message says why, for the seller."""


def cancel_invoice(invoice: Invoice, reason: str, *, client: SefazClient | None = None) -> Invoice:
    if invoice.status != InvoiceStatus.AUTHORIZED:
        raise EventRefused(_("Only an authorized NF-e can be cancelled."))
    if timezone.now() - invoice.authorized_at > CANCEL_WINDOW:
        raise EventRefused(_("The 24-hour window to cancel this NF-e is over: issue a return NF-e (devolução) instead."))
    if not 15 <= len(reason.strip()) <= 255:
        raise EventRefused(_("The cancellation reason must have between 15 and 255 characters."))
    client = client or SefazClient.for_seller(invoice.seller)
    reply = client.cancel(access_key=invoice.access_key, protocol=invoice.protocol, reason=reason.strip(),
                          when=timezone.localtime())
    _record(invoice, reply, _("Cancellation"))
    if reply.event_cstat not in REGISTERED:
        raise EventRefused(_("SEFAZ refused the cancellation (%(cstat)s: %(xmotivo)s).") % {
            "cstat": reply.event_cstat, "xmotivo": reply.event_xmotivo or reply.xmotivo})
    return transition(invoice, InvoiceStatus.CANCELLED, cstat=reply.event_cstat, message=reply.event_xmotivo,
                      cancelled_at=timezone.now(), needs_cancellation=False)


def send_correction_letter(invoice: Invoice, text: str, *, client: SefazClient | None = None) -> EventReply:
    """A CC-e: only for what the law allows (never values, parties or dates — see xCondUso)."""
    if invoice.status != InvoiceStatus.AUTHORIZED:
        raise EventRefused(_("A correction letter only applies to an authorized NF-e."))
    if not 15 <= len(text.strip()) <= 1000:
        raise EventRefused(_("The correction text must have between 15 and 1000 characters."))
    seq = invoice.events.filter(kind=InvoiceEvent.Kind.SEFAZ, message__startswith="CC-e 135").count() + 1
    client = client or SefazClient.for_seller(invoice.seller)
    reply = client.correction_letter(access_key=invoice.access_key, text=text.strip(), when=timezone.localtime(),
                                     seq=seq)
    _record(invoice, reply, "CC-e")
    if reply.event_cstat not in REGISTERED:
        raise EventRefused(_("SEFAZ refused the correction letter (%(cstat)s: %(xmotivo)s).") % {
            "cstat": reply.event_cstat, "xmotivo": reply.event_xmotivo or reply.xmotivo})
    return reply


def _record(invoice: Invoice, reply: EventReply, label: str) -> None:
    """The exchange, and the procEventoNFe (our signed evento + retEvento) SEFAZ's archive expects."""
    request, response = reply.exchange.as_text()
    proc = ""
    if reply.event_cstat in REGISTERED and reply.ret_evento is not None:
        evento = etree.fromstring(reply.exchange.request).find(".//{%s}evento" % messages.NFE)
        proc = etree.tostring(messages.proc("procEventoNFe", "1.00", evento, reply.ret_evento),
                              encoding="unicode")
    note(invoice, f"{label} {reply.event_cstat or reply.cstat}: {reply.event_xmotivo or reply.xmotivo}",
         kind=InvoiceEvent.Kind.SEFAZ, cstat=reply.event_cstat or reply.cstat, request=request, response=response)
    if proc:
        note(invoice, f"procEventoNFe {label}", cstat=reply.event_cstat, response=proc)
