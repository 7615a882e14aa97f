"""Voiding (inutilização) the numbers of a series that will never carry an NF-e.

A gap is a number below the series' next_number with no invoice that ended authorized, denied or
cancelled (or is still on its way there), and no void already done: a REJECTED invoice the seller gave
up, a number lost in a crash. The law wants them voided by day 10 of the next month.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sellers.models import Seller

from .models import Invoice, InvoiceSeries, InvoiceStatus, NumberVoid
from .sefaz.client import SefazClient
from .sefaz.replies import SefazError
from .transitions import transition

# Numbers that are settled: SEFAZ holds them, or they may still become an NF-e.
KEEPS_NUMBER = [s for s in InvoiceStatus.values if s not in (InvoiceStatus.REJECTED, InvoiceStatus.VOIDED)]
VOIDED_CSTATS = {"102"}
ALREADY_VOID_CSTATS = {"563", "206", "256"}  # same range already voided / number already voided / overlap
REASON = "Numeracao nao utilizada: documento rejeitado ou nao transmitido pelo sistema emissor"


def find_gaps(seller: Seller, environment: int, series: int, *, now=None) -> list[tuple[int, int]]:
    """Ranges (first, last) of numbers to void, in order.

    A REJECTED invoice of the current month keeps its number: the seller may still fix the data and send it
    again under the same number. From the first day of the next month it is voided (deadline: day 10).
    """
    row = InvoiceSeries.objects.filter(seller=seller, environment=environment, series=series).first()
    if row is None:
        return []
    month_start = timezone.localtime(now or timezone.now()).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    invoices = Invoice.objects.filter(seller=seller, environment=environment, series=series)
    taken = set(invoices.filter(status__in=KEEPS_NUMBER).values_list("number", flat=True))
    taken.update(invoices.filter(status=InvoiceStatus.REJECTED, issued_at__gte=month_start).values_list("number", flat=True))
    for first, last in NumberVoid.objects.filter(seller=seller, environment=environment, series=series,
                                                 status=NumberVoid.Status.DONE).values_list("first_number", "last_number"):
        taken.update(range(first, last + 1))
    return _ranges(n for n in range(1, row.next_number) if n not in taken)


def _ranges(numbers) -> list[tuple[int, int]]:
    ranges: list[list[int]] = []
    for n in numbers:
        if ranges and ranges[-1][1] == n - 1:
            ranges[-1][1] = n
        else:
            ranges.append([n, n])
    return [(a, b) for a, b in ranges]


def void_gaps(seller: Seller, *, client: SefazClient | None = None, now=None) -> list[NumberVoid]:
    """Void every gap of the seller's series at SEFAZ. Safe to run again: done ranges are skipped."""
    client = client or SefazClient.for_seller(seller)
    results = []
    for row in InvoiceSeries.objects.filter(seller=seller):
        for first, last in find_gaps(seller, row.environment, row.series, now=now):
            results.append(void_range(seller, environment=row.environment, series=row.series, first=first,
                                      last=last, client=client))
    return results


def void_range(seller: Seller, *, environment: int, series: int, first: int, last: int,
               client: SefazClient, reason: str = REASON) -> NumberVoid:
    record = _record_for(seller, environment, series, first, last, reason)
    if record.status == NumberVoid.Status.DONE:
        return record
    try:
        reply = client.void_range(series=series, first=first, last=last, reason=reason, year=_year(seller, first))
    except SefazError as error:
        record.xmotivo = error.message[:2000]
        record.save(update_fields=["xmotivo"])
        return record
    done = reply.cstat in VOIDED_CSTATS | ALREADY_VOID_CSTATS
    record.status = NumberVoid.Status.DONE if done else NumberVoid.Status.FAILED
    record.cstat, record.xmotivo, record.protocol = reply.cstat, reply.xmotivo, reply.nprot
    record.response_xml = reply.exchange.response if reply.exchange else None
    record.done_at = timezone.now() if done else None
    record.save()
    if done:
        _mark_invoices_voided(seller, environment, series, first, last)
    return record


def _record_for(seller, environment, series, first, last, reason) -> NumberVoid:
    lookup = dict(seller=seller, environment=environment, series=series, first_number=first, last_number=last)
    try:
        with transaction.atomic():
            record, _created = NumberVoid.objects.get_or_create(**lookup, defaults={"reason": reason})
    except IntegrityError:
        record = NumberVoid.objects.get(**lookup)
    return record


def _year(seller: Seller, number: int) -> int:
    """The year of the number's (rejected) invoice, else this year: ano in the inutNFe Id."""
    invoice = Invoice.objects.filter(seller=seller, number=number).order_by("-created_at").first()
    return (invoice.issued_at if invoice else timezone.now()).year


def _mark_invoices_voided(seller, environment, series, first, last) -> None:
    for invoice in Invoice.objects.filter(seller=seller, environment=environment, series=series,
                                          number__gte=first, number__lte=last, status=InvoiceStatus.REJECTED):
        transition(invoice, InvoiceStatus.VOIDED, message=_("Number voided at SEFAZ."))


def void_invoice_number(invoice: Invoice, *, client: SefazClient | None = None) -> NumberVoid:
    """The seller gives up a rejected invoice: void its number now."""
    if invoice.status != InvoiceStatus.REJECTED:
        raise ValueError(f"invoice {invoice.pk} is {invoice.status}; only a rejected number can be voided")
    return void_range(invoice.seller, environment=invoice.environment, series=invoice.series,
                      first=invoice.number, last=invoice.number, client=client or SefazClient.for_seller(invoice.seller))


def void_deadline(month: date) -> date:
    """Day 10 of the month after `month` (Ajuste SINIEF 07/05, cl. 14ª)."""
    return date(month.year + month.month // 12, month.month % 12 + 1, 10)
