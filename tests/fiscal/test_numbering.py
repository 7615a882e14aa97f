"""Numbers come from the locked series row: no duplicate, no gap, and a crash before commit leaves no trace.

The NF-e engine is replaced by the sandbox kit's builder (same PreparedNfe shape): these tests are about
the numbering, and the kit's XML is what the sandbox authorizes in the crash tests.
"""

import pytest

from fiscal import numbering
from fiscal.models import Invoice, InvoiceSeries, InvoiceStatus as S
from fiscal.numbering import SeriesFrozen, rebuild_rejected, reserve_invoice
from fiscal.transitions import transition
from tests.factories import OrderFactory
from tests.fiscal.sefaz_fixtures import *  # noqa: F401,F403 - fixtures
from tests.fiscal.sefaz_fixtures import prepare_with_kit


@pytest.fixture
def kit_engine(monkeypatch, company_identity):
    calls = []

    def prepare(order, *, series, number, environment, issued_at=None):
        calls.append(number)
        return prepare_with_kit(company_identity, series=series, number=number, cnf=10000000 + len(calls))

    monkeypatch.setattr(numbering, "_engine", lambda: prepare)
    return calls


def test_consecutive_orders_get_consecutive_numbers(kit_seller, kit_engine):
    numbers = [reserve_invoice(OrderFactory(seller=kit_seller)).number for _ in range(3)]
    assert numbers == [1, 2, 3]
    assert InvoiceSeries.objects.get(seller=kit_seller).next_number == 4


def test_an_order_with_an_active_invoice_gets_the_same_invoice_back(kit_seller, kit_engine):
    order = OrderFactory(seller=kit_seller)
    assert reserve_invoice(order).pk == reserve_invoice(order).pk
    assert kit_engine == [1]


def test_a_crash_while_signing_leaves_the_number_untaken(kit_seller, kit_engine, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("worker killed while signing")

    monkeypatch.setattr(numbering, "_engine", lambda: crash)
    with pytest.raises(RuntimeError):
        reserve_invoice(OrderFactory(seller=kit_seller))
    assert not Invoice.objects.exists() and InvoiceSeries.objects.get(seller=kit_seller).next_number == 1


def test_a_crash_after_storing_the_xml_but_before_commit_rolls_everything_back(kit_seller, kit_engine, monkeypatch):
    real_store = numbering._store

    def store_then_crash(*args):
        real_store(*args)
        raise RuntimeError("worker killed before commit")

    monkeypatch.setattr(numbering, "_store", store_then_crash)
    with pytest.raises(RuntimeError):
        reserve_invoice(OrderFactory(seller=kit_seller))
    monkeypatch.setattr(numbering, "_store", real_store)
    assert not Invoice.objects.exists()
    assert reserve_invoice(OrderFactory(seller=kit_seller)).number == 1


def test_a_frozen_series_refuses_new_numbers(kit_seller, kit_engine):
    InvoiceSeries.objects.create(seller=kit_seller, environment=2, series=1, frozen_reason="539 on NF-e 7")
    with pytest.raises(SeriesFrozen):
        reserve_invoice(OrderFactory(seller=kit_seller))
    assert kit_engine == []


def test_a_rejected_invoice_is_rebuilt_under_the_same_number(kit_seller, kit_engine):
    invoice = reserve_invoice(OrderFactory(seller=kit_seller))
    transition(invoice, S.REJECTED, cstat="778")
    old_xml = bytes(invoice.signed_xml)
    rebuilt = rebuild_rejected(invoice)
    assert rebuilt.status == S.SIGNED and rebuilt.number == 1 and bytes(rebuilt.signed_xml) != old_xml
    assert InvoiceSeries.objects.get(seller=kit_seller).next_number == 2
