"""Shared by the SEFAZ client and issuing tests: the sandbox on a free port, a test signer, documents.

Documents and signatures come from the sandbox's own test kit (tests/sandboxes/conftest.py), which
is independent of the product's NF-e engine: a bug in one cannot hide a bug in the other.
"""

import pytest
from lxml import etree

from fiscal.sefaz.client import SefazClient
from fiscal.sefaz.transport import SoapTransport
from sandboxes.sefaz.server import start_sandbox
from tests.sandboxes.conftest import CNPJ, build_nfe, make_identity, sign

__all__ = ["company_identity", "kit_seller", "make_invoice", "sandbox", "sandbox_client"]


@pytest.fixture(scope="session")
def company_identity():
    return make_identity(f"EMPRESA TESTE LTDA:{CNPJ}")


def test_signer(identity):
    def signer(xml: bytes, reference_tag: str) -> bytes:
        parent = etree.fromstring(xml)
        target = parent.find(f"{{http://www.portalfiscal.inf.br/nfe}}{reference_tag}")
        sign(target, identity)
        return etree.tostring(parent, encoding="utf-8")

    return signer


test_signer.__test__ = False  # a helper, not a test


def signed_nfe_bytes(identity, **fields) -> bytes:
    nfe = build_nfe(**fields)
    sign(nfe[0], identity)
    return etree.tostring(nfe, encoding="utf-8")


@pytest.fixture
def sandbox(tmp_path, settings):
    handle = start_sandbox(str(tmp_path / "sefaz.sqlite3"))
    settings.SEFAZ_BASE_URL_OVERRIDE = handle.url
    yield handle
    handle.stop()


@pytest.fixture
def sandbox_client(sandbox, company_identity, settings):
    settings.SEFAZ_TIMEOUT = 3
    return SefazClient(uf="SP", environment=2, cnpj=CNPJ, transport=SoapTransport(None, timeout=3),
                       signer=test_signer(company_identity))


# --- invoices whose signed XML comes from the sandbox's test kit -------------------------------------------

import json as _json  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from datetime import datetime as _dt, timedelta as _td, timezone as _tz  # noqa: E402
from decimal import Decimal  # noqa: E402

import requests  # noqa: E402
from django.utils import timezone  # noqa: E402

from fiscal.models import Invoice, InvoiceSeries  # noqa: E402
from tests.factories import OrderFactory, SellerFactory  # noqa: E402

DS = "http://www.w3.org/2000/09/xmldsig#"
BRT = _tz(_td(hours=-3))


@dataclass
class Prepared:
    """The shape of fiscal.nfe.issue.PreparedNfe, made by the sandbox kit (a stand-in for the engine)."""

    xml: bytes
    access_key: str
    digest_value: str
    cnf: str
    issued_at: _dt
    total: Decimal


def prepare_with_kit(identity, *, series: int, number: int, cnf: int | None = None, **fields) -> Prepared:
    issued_at = _dt.now(BRT).replace(microsecond=0)
    cnf = cnf if cnf is not None else 10000000 + (number * 7919 + series) % 89999999
    nfe = build_nfe(nNF=number, serie=series, cNF=cnf, dhEmi=issued_at, **fields)
    sign(nfe[0], identity)
    key = nfe[0].get("Id")[3:]
    return Prepared(etree.tostring(nfe, encoding="utf-8"), key, nfe.findtext(f".//{{{DS}}}DigestValue"),
                    f"{cnf:08d}", issued_at, Decimal(nfe.findtext(".//{http://www.portalfiscal.inf.br/nfe}vNF")))


@pytest.fixture
def kit_seller(db):
    return SellerFactory(cnpj=CNPJ, uf="SP", nfe_series=1)


@pytest.fixture
def make_invoice(kit_seller, company_identity):
    """A SIGNED invoice for a new order, numbered by hand (numbering has its own tests)."""
    def make(number: int, **fields) -> Invoice:
        InvoiceSeries.objects.update_or_create(seller=kit_seller, environment=2, series=1,
                                               defaults={"next_number": number + 1})
        prepared = prepare_with_kit(company_identity, series=1, number=number, **fields)
        return Invoice.objects.create(
            seller=kit_seller, order=OrderFactory(seller=kit_seller), environment=2, series=1, number=number,
            access_key=prepared.access_key, cnf=prepared.cnf, issued_at=prepared.issued_at, total=prepared.total,
            signed_xml=prepared.xml, digest_value=prepared.digest_value,
        )

    return make


def time_passes(invoice: Invoice) -> Invoice:
    """The backoff elapsed: the only thing tests do to the clock."""
    Invoice.objects.filter(pk=invoice.pk).update(next_attempt_at=timezone.now() - _td(seconds=1))
    invoice.refresh_from_db()
    return invoice


def inject(sandbox, mode: str, service: str = "NFeAutorizacao4", **extra) -> None:
    response = requests.post(sandbox.url + "/_sandbox/faults", timeout=5,
                             data=_json.dumps({"mode": mode, "service": service, **extra}))
    assert response.status_code == 200, response.text


def authorizations(sandbox, key: str) -> int:
    """How many times the sandbox's ledger holds this key as authorized."""
    return sum(1 for row in ledger(sandbox)["authorizations"] if row["chNFe"] == key)


def ledger(sandbox) -> dict:
    return requests.get(sandbox.url + "/_sandbox/ledger", timeout=5).json()
