"""Every admin changelist and change page renders for staff (with data in every table that has a screen)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import (
    AmazonAuthorizationFactory, CertificateFactory, OfferFactory, OrderItemFactory, ProductFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def populated(seller_a):
    AmazonAuthorizationFactory(seller=seller_a)
    CertificateFactory(seller=seller_a)
    ProductFactory(seller=seller_a)
    OfferFactory(seller=seller_a)
    OrderItemFactory(order__seller=seller_a)
    return seller_a


def _registered_models():
    return sorted(admin.site._registry, key=lambda m: m._meta.label)


@pytest.mark.parametrize("model", _registered_models(), ids=lambda m: m._meta.label)
def test_changelist_and_change_page_render_for_staff(client, staff, populated, model):
    client.force_login(staff)
    opts = model._meta
    response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert response.status_code == 200
    obj = model._default_manager.first()
    if obj is not None:
        response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
        assert response.status_code == 200


def test_admin_never_shows_a_refresh_token(client, staff, seller_a):
    authorization = AmazonAuthorizationFactory(seller=seller_a, refresh_token="Atzr|super-secret-value")
    client.force_login(staff)
    response = client.get(reverse("admin:sellers_amazonauthorization_change", args=[authorization.pk]))
    assert b"super-secret-value" not in response.content


def test_fiscal_incomplete_filter_lists_only_products_with_problems(client, staff, seller_a):
    ProductFactory(seller=seller_a, sku="GOOD-1", ncm="96170010")
    ProductFactory(seller=seller_a, sku="NO-NCM-1", ncm="")
    client.force_login(staff)
    response = client.get(reverse("admin:products_product_changelist") + "?fiscal=incomplete")
    assert b"NO-NCM-1" in response.content
    assert b"GOOD-1" not in response.content
