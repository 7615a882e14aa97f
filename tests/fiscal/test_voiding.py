"""The void task voids exactly the numbers that will never carry an NF-e, once."""

from datetime import date, timedelta

from django.utils import timezone

from fiscal.issuing import issue_invoice
from fiscal.models import InvoiceSeries, InvoiceStatus as S, NumberVoid
from fiscal.transitions import transition
from fiscal.voiding import find_gaps, void_deadline, void_gaps, void_invoice_number
from tests.fiscal.sefaz_fixtures import *  # noqa: F401,F403 - fixtures
from tests.fiscal.sefaz_fixtures import ledger
from tests.sandboxes.conftest import item


def _series_with_gaps(make_invoice, client):
    """1 authorized, 2 rejected (abandoned), 3 lost in a crash (never stored), 4 authorized, 5-6 lost."""
    issue_invoice(make_invoice(1), client=client)
    issue_invoice(make_invoice(2, items=[item(1, NCM="61099999")]), client=client)
    issue_invoice(make_invoice(4), client=client)
    InvoiceSeries.objects.update(next_number=7)


def _next_month():
    return timezone.now() + timedelta(days=32)


def test_gaps_are_the_rejected_and_lost_numbers_only(kit_seller, sandbox_client, make_invoice):
    _series_with_gaps(make_invoice, sandbox_client)
    assert find_gaps(kit_seller, 2, 1, now=_next_month()) == [(2, 3), (5, 6)]


def test_a_rejected_number_waits_for_the_sellers_fix_until_the_month_ends(kit_seller, sandbox_client, make_invoice):
    _series_with_gaps(make_invoice, sandbox_client)
    assert find_gaps(kit_seller, 2, 1) == [(3, 3), (5, 6)]


def test_the_void_task_voids_exactly_the_gaps_and_is_idempotent(sandbox, kit_seller, sandbox_client, make_invoice):
    _series_with_gaps(make_invoice, sandbox_client)
    done = void_gaps(kit_seller, client=sandbox_client, now=_next_month())
    assert [(v.first_number, v.last_number, v.cstat) for v in done] == [(2, 3, "102"), (5, 6, "102")]
    voided = {(r["nNFIni"], r["nNFFin"]) for r in ledger(sandbox)["voided"]}
    assert voided == {(2, 3), (5, 6)}
    assert kit_seller.invoices.get(number=2).status == S.VOIDED
    assert find_gaps(kit_seller, 2, 1, now=_next_month()) == []
    assert void_gaps(kit_seller, client=sandbox_client, now=_next_month()) == []
    assert len(ledger(sandbox)["voided"]) == 2 and NumberVoid.objects.count() == 2


def test_a_void_sefaz_already_has_counts_as_done(sandbox, kit_seller, sandbox_client, make_invoice):
    InvoiceSeries.objects.create(seller=kit_seller, environment=2, series=1, next_number=3)
    sandbox_client.void_range(series=1, first=1, last=2, reason="Numeracao nao utilizada pelo sistema", year=2026)
    (record,) = void_gaps(kit_seller, client=sandbox_client)
    assert record.status == NumberVoid.Status.DONE and record.cstat == "563"


def test_a_rejected_invoice_the_seller_gives_up_has_its_number_voided(sandbox, sandbox_client, make_invoice):
    invoice = issue_invoice(make_invoice(1, items=[item(1, NCM="61099999")]), client=sandbox_client)
    record = void_invoice_number(invoice, client=sandbox_client)
    invoice.refresh_from_db()
    assert record.cstat == "102" and invoice.status == S.VOIDED


def test_the_void_deadline_is_day_10_of_the_next_month():
    assert void_deadline(date(2026, 11, 27)) == date(2026, 12, 10)
    assert void_deadline(date(2026, 12, 3)) == date(2027, 1, 10)
