"""Sending a signed NF-e to SEFAZ and turning every possible answer into exactly one outcome.

The rules (docs: shared/research/reliability.md §2.2):
- the stored signed bytes are what is sent, every time; never regenerated while SEFAZ may know them;
- no answer (timeout, reset, HTML, truncated, SOAP Fault) -> UNKNOWN, then a lookup by key with
  spaced attempts: found -> adopt the protocol (if its digVal is ours), 217 -> send the same bytes again;
- 204 -> lookup; 539 -> freeze the series, alert staff, never retry; 108/109 -> back off and retry;
- 110/301/302/303 -> DENIED; other cStat -> REJECTED, the number stays free for the fixed document.
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Invoice, InvoiceEvent, InvoiceStatus
from .outcomes import adopt_protocol, block, deny, freeze_series, reject
from .sefaz.client import SefazClient
from .sefaz.replies import AuthorizationReply, Exchange, SefazError, SefazUnknownOutcome
from .transitions import StaleInvoice, note, transition

S = InvoiceStatus
AUTHORIZED_CSTATS = {"100", "150"}
DENIED_CSTATS = {"110", "301", "302", "303"}
PARALYSED_CSTATS = {"108", "109"}
PROCESSING_CSTATS = {"103", "105"}
# Spacing of the lookups of an UNKNOWN invoice: SEFAZ answers 656 to clients that insist.
LOOKUP_DELAYS = [timedelta(seconds=s) for s in (10, 30, 60, 300, 900, 1800, 3600)]
PARALYSED_DELAYS = [timedelta(seconds=s) for s in (60, 300, 900, 1800, 3600)]
CONSUMO_INDEVIDO_PAUSE = timedelta(hours=1)  # 656: SEFAZ blocks the CNPJ for about an hour


def client_for(invoice: Invoice) -> SefazClient:
    return SefazClient.for_seller(invoice.seller)


def _due(invoice: Invoice) -> bool:
    return invoice.next_attempt_at is None or invoice.next_attempt_at <= timezone.now()


def _delay(table: list[timedelta], attempts: int) -> timedelta:
    return table[min(attempts, len(table) - 1)]


def issue_invoice(invoice: Invoice, *, client: SefazClient | None = None) -> Invoice:
    """Claim a SIGNED invoice (SIGNED -> SENDING) and send its stored bytes. Safe to call twice."""
    invoice.refresh_from_db()
    if invoice.status != S.SIGNED or not _due(invoice):
        return invoice
    try:
        transition(invoice, S.SENDING, attempts=invoice.attempts + 1, next_attempt_at=None)
    except StaleInvoice:  # another worker claimed it
        invoice.refresh_from_db()
        return invoice
    return _send(invoice, client or client_for(invoice))


def _send(invoice: Invoice, client: SefazClient) -> Invoice:
    try:
        reply = client.authorize(bytes(invoice.signed_xml))
    except SefazUnknownOutcome as error:
        return _unknown(invoice, error)
    except SefazError as error:  # nothing reached SEFAZ (refused connection, TLS): try again later
        _record(invoice, Exchange(error.request, error.response), "", error.message)
        return transition(invoice, S.SIGNED, message=error.message,
                          next_attempt_at=timezone.now() + _delay(PARALYSED_DELAYS, invoice.attempts))
    return record_reply(invoice, reply)


def record_reply(invoice: Invoice, reply: AuthorizationReply) -> Invoice:
    """Store the exchange, then move the invoice according to the decisive cStat."""
    protocol = reply.protocol
    cstat, xmotivo = (protocol.cstat, protocol.xmotivo) if protocol else (reply.cstat, reply.xmotivo)
    _record(invoice, reply.exchange, cstat, xmotivo)
    if protocol is None and reply.cstat in PROCESSING_CSTATS:
        return transition(invoice, S.PROCESSING, cstat=cstat, message=xmotivo, receipt=reply.receipt or invoice.receipt,
                          next_attempt_at=timezone.now() + timedelta(seconds=2))
    return apply_cstat(invoice, cstat, xmotivo, protocol)


def apply_cstat(invoice: Invoice, cstat: str, xmotivo: str, protocol=None) -> Invoice:
    """The outcome table, shared by the authorization reply, the receipt and the lookup."""
    if cstat in AUTHORIZED_CSTATS and protocol is not None:
        return adopt_protocol(invoice, protocol)
    if cstat in DENIED_CSTATS:
        return deny(invoice, cstat, xmotivo, protocol)
    if cstat == "204":  # SEFAZ already has this very document: its protocol comes from a lookup
        return _to_unknown(invoice, cstat, xmotivo, delay=timedelta(0))
    if cstat == "539":
        return freeze_series(invoice, cstat, xmotivo)
    if cstat in PARALYSED_CSTATS or cstat == "656":
        return _back_off(invoice, cstat, xmotivo)
    if cstat in PROCESSING_CSTATS:
        return _to_unknown(invoice, cstat, xmotivo)
    return reject(invoice, cstat, xmotivo)


def _back_off(invoice: Invoice, cstat: str, xmotivo: str) -> Invoice:
    """108/109/656 on sending: SEFAZ did not process the NF-e; send the same bytes later."""
    wait = CONSUMO_INDEVIDO_PAUSE if cstat == "656" else _delay(PARALYSED_DELAYS, invoice.attempts)
    retry_at = timezone.now() + wait
    message = _("SEFAZ (%(uf)s) answered %(cstat)s: %(xmotivo)s. We send the NF-e again automatically at %(when)s.") % {
        "uf": invoice.seller.uf, "cstat": cstat, "xmotivo": xmotivo,
        "when": timezone.localtime(retry_at).strftime("%d/%m/%Y %H:%M")}
    target = S.SIGNED if invoice.status == S.SENDING else invoice.status
    if target == invoice.status:  # already waiting (PROCESSING/UNKNOWN): only the next attempt moves
        Invoice.objects.filter(pk=invoice.pk).update(next_attempt_at=retry_at, cstat=cstat, xmotivo=xmotivo)
        invoice.next_attempt_at, invoice.cstat, invoice.xmotivo = retry_at, cstat, xmotivo
        note(invoice, message, cstat=cstat)
        return invoice
    return transition(invoice, target, cstat=cstat, message=message, xmotivo=xmotivo, error_message=message,
                      error_category="sefaz", next_attempt_at=retry_at)


def _unknown(invoice: Invoice, error: SefazError) -> Invoice:
    _record(invoice, Exchange(error.request, error.response), "", error.message)
    return _to_unknown(invoice, "", error.message)


def _to_unknown(invoice: Invoice, cstat: str, message: str, *, delay: timedelta | None = None) -> Invoice:
    wait = _delay(LOOKUP_DELAYS, 0) if delay is None else delay
    return transition(invoice, S.UNKNOWN, cstat=cstat, message=message[:2000],
                      next_attempt_at=timezone.now() + wait, attempts=invoice.attempts)


def _record(invoice: Invoice, exchange: Exchange, cstat: str, message: str) -> None:
    request, response = exchange.as_text()
    note(invoice, message[:2000], kind=InvoiceEvent.Kind.SEFAZ, cstat=cstat, request=request, response=response)


# --- driving invoices that wait -----------------------------------------------------------------------------

def resolve_unknown(invoice: Invoice, *, client: SefazClient | None = None) -> Invoice:
    """Look the key up at SEFAZ (when due) and settle the invoice; re-send the same bytes on 217."""
    invoice.refresh_from_db()
    if invoice.status != S.UNKNOWN or not _due(invoice):
        return invoice
    client = client or client_for(invoice)
    try:
        reply = client.lookup(invoice.access_key)
    except SefazError as error:
        _record(invoice, Exchange(error.request, error.response), "", error.message)
        return _next_lookup(invoice)
    _record(invoice, reply.exchange, reply.cstat, reply.xmotivo)
    return _settle_lookup(invoice, reply, client)


def _settle_lookup(invoice: Invoice, reply, client: SefazClient) -> Invoice:
    protocol = reply.protocol
    if reply.cstat in AUTHORIZED_CSTATS | DENIED_CSTATS and protocol is not None:
        return apply_cstat(invoice, protocol.cstat, protocol.xmotivo, protocol)
    if reply.cstat == "101" and protocol is not None:  # cancelled elsewhere: staff must see this
        return block(invoice, reply.cstat, _("SEFAZ reports this NF-e as cancelled, which we never asked."))
    if reply.cstat == "217":  # SEFAZ never received it: the same bytes, again
        try:
            transition(invoice, S.SENDING, cstat="217", message=reply.xmotivo, attempts=invoice.attempts + 1)
        except StaleInvoice:
            invoice.refresh_from_db()
            return invoice
        return _send(invoice, client)
    if reply.cstat == "656":
        return _next_lookup(invoice, wait=CONSUMO_INDEVIDO_PAUSE)
    return _next_lookup(invoice)


def _next_lookup(invoice: Invoice, *, wait: timedelta | None = None) -> Invoice:
    invoice.attempts += 1
    invoice.next_attempt_at = timezone.now() + (wait or _delay(LOOKUP_DELAYS, invoice.attempts))
    Invoice.objects.filter(pk=invoice.pk).update(attempts=invoice.attempts, next_attempt_at=invoice.next_attempt_at)
    return invoice


def poll_receipt(invoice: Invoice, *, client: SefazClient | None = None) -> Invoice:
    """PROCESSING: ask for the receipt's outcome (asynchronous lots); unusable answers go to UNKNOWN."""
    invoice.refresh_from_db()
    if invoice.status != S.PROCESSING or not _due(invoice):
        return invoice
    try:
        reply = (client or client_for(invoice)).receipt(invoice.receipt)
    except SefazError as error:
        return _unknown(invoice, error)
    if reply.protocol is None and reply.cstat == "105":
        _record(invoice, reply.exchange, reply.cstat, reply.xmotivo)
        return _next_lookup(invoice)
    if reply.protocol is None and reply.cstat == "106":  # receipt unknown: only the key can tell
        _record(invoice, reply.exchange, reply.cstat, reply.xmotivo)
        return _to_unknown(invoice, reply.cstat, reply.xmotivo, delay=timedelta(0))
    return record_reply(invoice, reply)


def recover_sending(invoice: Invoice) -> Invoice:
    """A worker died in SENDING (crash between claim and reply): treat it as an unknown outcome."""
    invoice.refresh_from_db()
    if invoice.status != S.SENDING:
        return invoice
    try:
        return transition(invoice, S.UNKNOWN, message=_("The sending worker stopped; checking SEFAZ by key."),
                          next_attempt_at=timezone.now())
    except StaleInvoice:
        invoice.refresh_from_db()
        return invoice


def advance_invoice(invoice: Invoice, *, client: SefazClient | None = None) -> Invoice:
    """One step for whatever state the invoice waits in: the reconciler's and the crash recovery's entry."""
    step = {S.SIGNED: issue_invoice, S.PROCESSING: poll_receipt, S.UNKNOWN: resolve_unknown}.get(invoice.status)
    if invoice.status == S.SENDING:
        invoice = recover_sending(invoice)
        step = resolve_unknown
    return step(invoice, client=client) if step else invoice
