"""Taking the next NF-e number: exactly once, never skipped without trace.

The series row is locked (SELECT ... FOR UPDATE) while the number is taken, the NF-e built and
signed, and the signed bytes stored; all of it commits together. A crash anywhere before the
commit rolls the number back; after it, the number belongs to a stored invoice.
Signing costs ~50 ms, so the lock serializes a seller's issuing at ~20 NF-e/s: enough for FBA Onsite.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from orders.models import Order

from .models import ACTIVE_STATUSES, Invoice, InvoiceEvent, InvoiceSeries, InvoiceStatus


class SeriesFrozen(Exception):
    """SEFAZ reported this series' number used by another document (539): issuing stops until staff act."""


def reserve_invoice(order: Order) -> Invoice:
    """The order's active invoice, or a new one signed under the next number of the seller's series."""
    seller = order.seller
    _ensure_series(seller)
    with transaction.atomic():
        series = InvoiceSeries.objects.select_for_update().get(
            seller=seller, environment=seller.nfe_environment, series=seller.nfe_series)
        # Checked under the lock: a second worker for the same order waits here and then finds the first's.
        existing = Invoice.objects.filter(order=order, status__in=ACTIVE_STATUSES).first()
        if existing:
            return existing
        if series.frozen_reason:
            raise SeriesFrozen(series.frozen_reason)
        number = series.next_number
        prepared = _engine()(order, series=series.series, number=number, environment=series.environment)
        invoice = _store(order, series, number, prepared)
        InvoiceSeries.objects.filter(pk=series.pk).update(next_number=number + 1)
    return invoice


def _engine():
    """The NF-e engine's builder+signer (imported late: numbering must not drag lxml/xmlsec into every import)."""
    from fiscal.nfe.issue import prepare_signed_nfe

    return prepare_signed_nfe


def _ensure_series(seller) -> None:
    lookup = dict(seller=seller, environment=seller.nfe_environment, series=seller.nfe_series)
    if not InvoiceSeries.objects.filter(**lookup).exists():
        try:
            with transaction.atomic():
                InvoiceSeries.objects.create(**lookup)
        except IntegrityError:  # another worker created it a moment ago
            pass


def _store(order: Order, series: InvoiceSeries, number: int, prepared) -> Invoice:
    xml = prepared.xml.encode("utf-8") if isinstance(prepared.xml, str) else prepared.xml
    invoice = Invoice.objects.create(
        seller=order.seller, order=order, environment=series.environment, series=series.series, number=number,
        access_key=prepared.access_key, cnf=prepared.cnf, issued_at=prepared.issued_at, total=prepared.total,
        signed_xml=xml, digest_value=prepared.digest_value, status=InvoiceStatus.SIGNED,
    )
    InvoiceEvent.objects.create(invoice=invoice, kind=InvoiceEvent.Kind.TRANSITION, to_status=InvoiceStatus.SIGNED,
                                message=_("NF-e %(number)d signed, waiting to be sent.") % {"number": number})
    return invoice


def rebuild_rejected(invoice: Invoice) -> Invoice:
    """After the seller's fix: the same number, a new signed XML (SEFAZ never accepted the old one), SIGNED again."""
    from .transitions import transition

    invoice.refresh_from_db()
    if invoice.status != InvoiceStatus.REJECTED:
        raise ValueError(f"invoice {invoice.pk} is {invoice.status}, not rejected")
    prepared = _engine()(invoice.order, series=invoice.series, number=invoice.number,
                                  environment=invoice.environment)
    xml = prepared.xml.encode("utf-8") if isinstance(prepared.xml, str) else prepared.xml
    return transition(
        invoice, InvoiceStatus.SIGNED, message=_("Rebuilt with the corrected data under the same number."),
        signed_xml=xml, access_key=prepared.access_key, digest_value=prepared.digest_value, cnf=prepared.cnf,
        issued_at=prepared.issued_at, total=prepared.total, error_category="", error_message="", next_attempt_at=None,
    )
