from datetime import datetime, timedelta, timezone

import pytest
from django.utils import translation

from sellers.certificates import CertificateError, inspect_pfx, make_test_pfx
from sellers.services import install_certificate
from tests.factories import SellerFactory

CNPJ = "11222333000181"


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted on their English source; the catalog itself is checked by test_translations."""
    with translation.override("en"):
        yield


def test_a_valid_certificate_of_the_seller_is_described():
    info = inspect_pfx(make_test_pfx(cnpj=CNPJ, name="ACME", password="x"), "x", expected_cnpj="11.222.333/0001-81")
    assert info.subject_cnpj == CNPJ
    assert info.not_after > datetime.now(timezone.utc)
    assert len(info.fingerprint_sha256) == 64


def test_a_wrong_password_is_explained():
    with pytest.raises(CertificateError, match="password"):
        inspect_pfx(make_test_pfx(cnpj=CNPJ, name="ACME", password="right"), "wrong", expected_cnpj=CNPJ)


def test_a_damaged_file_is_explained():
    with pytest.raises(CertificateError):
        inspect_pfx(b"not a pfx at all", "x", expected_cnpj=CNPJ)


def test_an_expired_certificate_is_refused():
    old = datetime.now(timezone.utc) - timedelta(days=400)
    with pytest.raises(CertificateError, match="expired"):
        inspect_pfx(make_test_pfx(cnpj=CNPJ, name="ACME", password="x", not_before=old, days=365), "x", expected_cnpj=CNPJ)


def test_a_certificate_of_another_company_is_refused():
    with pytest.raises(CertificateError, match="44555666000181|not to this company"):
        inspect_pfx(make_test_pfx(cnpj="44555666000181", name="OTHER", password="x"), "x", expected_cnpj=CNPJ)


def test_an_oversized_upload_is_refused_before_parsing():
    with pytest.raises(CertificateError):
        inspect_pfx(b"0" * 200_000, "x", expected_cnpj=CNPJ)


@pytest.mark.django_db
def test_installing_an_invalid_certificate_stores_nothing():
    seller = SellerFactory(cnpj=CNPJ)
    with pytest.raises(CertificateError):
        install_certificate(seller, pfx=make_test_pfx(cnpj=CNPJ, name="A", password="a"), password="b")
    assert seller.certificates.count() == 0


@pytest.mark.django_db
def test_installing_a_new_certificate_retires_the_previous_one():
    seller = SellerFactory(cnpj=CNPJ)
    first = install_certificate(seller, pfx=make_test_pfx(cnpj=CNPJ, name="A", password="a"), password="a")
    second = install_certificate(seller, pfx=make_test_pfx(cnpj=CNPJ, name="A", password="a"), password="a")
    first.refresh_from_db()
    assert not first.active and second.active
    assert seller.active_certificate == second
