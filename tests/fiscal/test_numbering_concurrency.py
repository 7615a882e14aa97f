"""Parallel workers, each with its own PostgreSQL connection, take numbers from one series."""

import threading

import pytest
from django.db import connection

from fiscal import numbering
from fiscal.models import Invoice
from fiscal.numbering import reserve_invoice
from tests.factories import OrderFactory, SellerFactory
from tests.fiscal.sefaz_fixtures import CNPJ, company_identity, prepare_with_kit  # noqa: F401 - fixture

WORKERS, PER_WORKER = 4, 5


def _run_in_threads(target, args_list):
    errors = []

    def run(*args):
        try:
            target(*args)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=run, args=args) for args in args_list]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors


@pytest.fixture
def engine(monkeypatch, company_identity):
    monkeypatch.setattr(numbering, "_engine", lambda: lambda order, *, series, number, environment, issued_at=None:
                        prepare_with_kit(company_identity, series=series, number=number))


@pytest.mark.django_db(transaction=True)
def test_parallel_workers_take_numbers_with_no_gap_and_no_duplicate(engine):
    seller = SellerFactory(cnpj=CNPJ, uf="SP")
    orders = [OrderFactory(seller=seller) for _ in range(WORKERS * PER_WORKER)]
    chunks = [(orders[i::WORKERS],) for i in range(WORKERS)]
    _run_in_threads(lambda mine: [reserve_invoice(o) for o in mine], chunks)
    numbers = sorted(Invoice.objects.filter(seller=seller).values_list("number", flat=True))
    assert numbers == list(range(1, WORKERS * PER_WORKER + 1))


@pytest.mark.django_db(transaction=True)
def test_two_workers_on_the_same_order_make_one_invoice(engine):
    seller = SellerFactory(cnpj=CNPJ, uf="SP")
    order = OrderFactory(seller=seller)
    _run_in_threads(reserve_invoice, [(order,)] * WORKERS)
    assert list(Invoice.objects.filter(order=order).values_list("number", flat=True)) == [1]
