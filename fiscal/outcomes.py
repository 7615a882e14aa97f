"""The final answers SEFAZ can give an NF-e, each turned into one state with what the seller must know."""

import hashlib
import logging
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from .models import ErrorCategory, Invoice, InvoiceSeries, InvoiceStatus
from .sefaz import messages
from .sefaz.replies import Protocol
from .sefaz.xml import parse
from .transitions import transition

S = InvoiceStatus
log = logging.getLogger(__name__)


def adopt_protocol(invoice: Invoice, protocol: Protocol) -> Invoice:
    """100/150: nfeProc = OUR stored signed XML + protNFe, only if SEFAZ's digVal is our digest."""
    if protocol.digval != invoice.digest_value or protocol.access_key != invoice.access_key:
        return block(invoice, protocol.cstat, _(
            "SEFAZ holds a different document under this access key (digVal %(theirs)s, ours %(ours)s).")
            % {"theirs": protocol.digval, "ours": invoice.digest_value})
    proc = messages.proc("nfeProc", "4.00", parse(bytes(invoice.signed_xml)), protocol.element)
    xml = etree.tostring(proc, xml_declaration=True, encoding="utf-8")
    digest = hashlib.sha256(xml).hexdigest()
    # Stored and read back before the status says AUTHORIZED: an authorized NF-e without its XML must not exist.
    Invoice.objects.filter(pk=invoice.pk).update(authorized_xml=xml, authorized_sha256=digest)
    stored = Invoice.objects.values_list("authorized_xml", flat=True).get(pk=invoice.pk)
    if hashlib.sha256(bytes(stored)).hexdigest() != digest:
        raise RuntimeError(f"invoice {invoice.pk}: the stored nfeProc does not read back")
    invoice.authorized_xml, invoice.authorized_sha256 = xml, digest
    return transition(
        invoice, S.AUTHORIZED, cstat=protocol.cstat, message=protocol.xmotivo, protocol=protocol.nprot,
        authorized_at=_when(protocol.received_at), xmotivo=protocol.xmotivo, error_category="", error_message="",
        next_attempt_at=None,
    )


def deny(invoice: Invoice, cstat: str, xmotivo: str, protocol: Protocol | None) -> Invoice:
    """110/301/302/303: the number is consumed by a denied NF-e; the seller must sort out the tax registration."""
    message = _("SEFAZ denied this NF-e (%(cstat)s: %(xmotivo)s). The number is used up. Check the registration "
                "(inscrição estadual) of your company and of the buyer with your accountant.") % {
        "cstat": cstat, "xmotivo": xmotivo}
    return transition(invoice, S.DENIED, cstat=cstat, message=xmotivo, xmotivo=xmotivo, error_message=message,
                      error_category=ErrorCategory.TAX_DATA, protocol=protocol.nprot if protocol else "",
                      next_attempt_at=None)


def reject(invoice: Invoice, cstat: str, xmotivo: str) -> Invoice:
    """A schema or business rejection: nothing was accepted, the number is still free for the fixed NF-e."""
    category, message = _explain(cstat, xmotivo)
    return transition(invoice, S.REJECTED, cstat=cstat, message=xmotivo, xmotivo=xmotivo, error_category=category,
                      error_message=message, next_attempt_at=None)


def block(invoice: Invoice, cstat: str, message: str) -> Invoice:
    """Stop and call staff: something no automatic step may decide."""
    invoice = transition(invoice, S.BLOCKED, cstat=cstat, message=message, error_category=ErrorCategory.INTERNAL,
                         error_message=_("The agency's team is checking this NF-e; no action is needed from you."),
                         next_attempt_at=None)
    alert_staff(_("NF-e %(number)s of %(seller)s blocked") % {"number": invoice.number, "seller": invoice.seller},
                message)
    return invoice


def freeze_series(invoice: Invoice, cstat: str, xmotivo: str) -> Invoice:
    """539: another document holds our number. No more numbers from this series until staff look; never retry."""
    reason = _("SEFAZ answered 539 for NF-e %(number)s: %(xmotivo)s") % {"number": invoice.number, "xmotivo": xmotivo}
    with transaction.atomic():
        InvoiceSeries.objects.filter(seller=invoice.seller, environment=invoice.environment,
                                     series=invoice.series).update(frozen_reason=reason)
        invoice = transition(invoice, S.BLOCKED, cstat=cstat, message=reason, xmotivo=xmotivo,
                             error_category=ErrorCategory.INTERNAL, next_attempt_at=None, error_message=_(
                                 "Another document already uses this NF-e number at SEFAZ (another system issuing "
                                 "with the same series?). The agency's team was alerted and issuing is paused."))
    alert_staff(_("Series %(series)s of %(seller)s frozen (539)") % {"series": invoice.series, "seller": invoice.seller},
                reason)
    return invoice


def alert_staff(subject: str, body: str) -> None:
    log.error("staff alert: %s", subject)
    if settings.AGENCY_ALERT_EMAILS:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, settings.AGENCY_ALERT_EMAILS, fail_silently=True)


def _explain(cstat: str, xmotivo: str) -> tuple[str, str]:
    try:
        from fiscal.rejections import explain_rejection
    except ImportError:  # the rejection catalogue ships separately; until then SEFAZ's own words
        return ErrorCategory.INTERNAL, _("SEFAZ rejected the NF-e (%(cstat)s: %(xmotivo)s). Fix the data it names "
                                         "and send it again.") % {"cstat": cstat, "xmotivo": xmotivo}
    explanation = explain_rejection(cstat, xmotivo)
    return explanation.category, explanation.message


def _when(dh: str) -> datetime:
    try:
        return datetime.fromisoformat(dh)
    except ValueError:
        return timezone.now()
