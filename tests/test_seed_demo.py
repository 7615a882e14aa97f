import json
from io import StringIO

import pytest
from django.core.management import call_command

from orders.models import Order
from products.models import Offer, Product
from sellers.models import AmazonAuthorization, Certificate, Seller

pytestmark = pytest.mark.django_db


def _snapshot():
    return {
        "sellers": sorted(Seller.objects.values_list("cnpj", flat=True)),
        "products": Product.objects.count(),
        "offers": Offer.objects.count(),
        "orders": sorted(Order.objects.values_list("amazon_order_id", flat=True)),
        "certificates": Certificate.objects.filter(active=True).count(),
        "authorizations": AmazonAuthorization.objects.count(),
    }


def _seed() -> dict:
    out = StringIO()
    call_command("seed_demo", "--json", stdout=out)
    return json.loads(out.getvalue())


def test_seed_demo_twice_gives_the_same_data():
    first_logins = _seed()
    first = _snapshot()
    second_logins = _seed()
    assert _snapshot() == first
    assert second_logins == first_logins


def test_seed_demo_json_lists_staff_and_sellers_with_logins():
    from django.contrib.auth import get_user_model

    out = _seed()
    users = get_user_model().objects
    assert users.get(username=out["staff"]["username"]).check_password(out["staff"]["password"])
    assert len(out["sellers"]) >= 2
    for seller in out["sellers"]:
        assert set(seller) == {"id", "name", "cnpj", "user"}
        user = users.get(username=seller["user"]["username"])
        assert user.check_password(seller["user"]["password"])
        assert user.seller_membership.seller_id == seller["id"]


def test_demo_covers_the_manual_cases():
    _seed()
    authorizations = {a.seller.cnpj: a.days_left() for a in AmazonAuthorization.objects.select_related("seller")}
    assert any(d > 30 for d in authorizations.values())
    assert any(0 <= d <= 10 for d in authorizations.values())
    assert any(d < 0 for d in authorizations.values())
    assert Product.objects.fiscal_incomplete().filter(ncm="").exists()
    assert Product.objects.fiscal_incomplete().filter(ncm="12345678").exists()
    assert Product.objects.filter(fiscal_issues__contains=["cest_ncm_mismatch"]).exists()
    assert Seller.objects.filter(crt=1, uf="SP").exists() and Seller.objects.filter(crt=3).exclude(uf="SP").exists()
    orders = Order.objects.all()
    assert orders.filter(uf="SP", seller__uf="SP").exists()  # internal sale
    assert orders.exclude(uf="SP").filter(seller__uf="SP", buyer_document__regex=r"^\d{11}$").exists()  # interstate to CPF
    assert orders.filter(buyer_document__regex=r"^\w{14}$").exists()  # company buyer
    assert orders.filter(number="").exists()  # incomplete address
