import io

from django.urls import reverse

from sellers.models import Certificate
from tests.factories import PFX_PASSWORD, SellerFactory
from tests.factories import test_pfx as make_pfx


def _upload(client, data: bytes, password: str):
    pfx = io.BytesIO(data)
    pfx.name = "empresa.pfx"
    return client.post(reverse("portal:certificate_upload"), {"pfx": pfx, "password": password})


def test_a_valid_certificate_is_installed_and_its_days_left_shown(client_a, seller_a):
    response = _upload(client_a, make_pfx(seller_a.cnpj), PFX_PASSWORD)
    assert response.status_code == 302
    cert = Certificate.objects.for_seller(seller_a).get()
    page = client_a.get(reverse("portal:credentials")).content.decode()
    assert str(cert.days_left()) in page
    assert PFX_PASSWORD not in page


def test_a_wrong_password_stores_nothing_and_is_not_echoed(client_a, seller_a):
    response = _upload(client_a, make_pfx(seller_a.cnpj), "senha-errada-xyz")
    assert response.status_code == 400
    assert "pfx" in response.context["form"].errors
    assert "senha-errada-xyz" not in response.content.decode()
    assert not Certificate.objects.exists()


def test_a_certificate_of_another_cnpj_is_refused(client_a, seller_a):
    other = SellerFactory()
    response = _upload(client_a, make_pfx(other.cnpj), PFX_PASSWORD)
    assert response.status_code == 400 and not Certificate.objects.exists()


def test_an_oversized_file_is_refused_before_reading_it(client_a, seller_a):
    response = _upload(client_a, b"x" * 60_000, PFX_PASSWORD)
    assert response.status_code == 400 and "pfx" in response.context["form"].errors


def test_the_callback_without_amazons_parameters_changes_nothing(client_a, seller_a):
    response = client_a.get(reverse("portal:amazon_callback"))
    assert response.status_code == 302
    assert not hasattr(seller_a, "amazon_authorization") or seller_a.amazon_authorization is None
