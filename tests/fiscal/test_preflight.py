from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from fiscal.models import ErrorCategory, StateTaxRate
from fiscal.preflight import check_order, run_preflight
from orders.models import Order, PreflightStatus
from sellers.documents import complete_cnpj
from sellers.models import AmazonAuthorization
from tests.factories import (
    AmazonAuthorizationFactory, CertificateFactory, OrderFactory, OrderItemFactory, ProductFactory, TaxGroupFactory,
)


@pytest.fixture
def ready(seller_a, reference_data):
    """A seller with valid credentials and an SP order of one complete product."""
    AmazonAuthorizationFactory(seller=seller_a)
    CertificateFactory(seller=seller_a)
    product = ProductFactory(seller=seller_a, sku="SKU-123", ncm="85171300")
    order = OrderFactory(seller=seller_a)
    OrderItemFactory(order=order, sku="SKU-123", product=product)
    return order


def issues(order):
    return {(i.category, i.code) for i in check_order(order)}


def one(order, code):
    [issue] = [i for i in check_order(order) if i.code == code]
    return issue


def test_a_complete_order_passes_and_is_marked_ok(ready):
    assert check_order(ready) == []
    assert run_preflight(ready) is True
    ready.refresh_from_db()
    assert ready.preflight_status == PreflightStatus.OK and ready.preflight_checked_at


def test_product_without_ncm_names_the_sku_and_links_to_the_product(ready):
    product = ready.items.get().product
    product.ncm = ""
    product.save()
    issue = one(ready, "ncm_missing")
    assert issue.category == ErrorCategory.FISCAL_ATTRIBUTES
    assert "SKU-123" in issue.message and (issue.fix_url_name, issue.fix_object_id) == ("portal:product_edit", product.pk)


def test_unregistered_sku_asks_to_register_the_product(ready):
    OrderItemFactory(order=ready, sku="NOVO-1", product=None)
    issue = one(ready, "product_not_found")
    assert issue.category == ErrorCategory.FISCAL_ATTRIBUTES and "NOVO-1" in issue.message


def test_item_without_product_link_is_found_by_sku(ready, seller_a):
    ProductFactory(seller=seller_a, sku="LIGADO-2", ncm="85171300")
    OrderItemFactory(order=ready, sku="LIGADO-2", product=None)
    assert check_order(ready) == []


@pytest.mark.parametrize("field, code", [("street", "street_missing"), ("number", "number_missing"),
                                         ("district", "district_missing"), ("cep", "cep_missing")])
def test_missing_address_fields_block_with_the_buyer_address_category(ready, field, code):
    setattr(ready, field, "")
    issue = one(ready, code)
    assert issue.category == ErrorCategory.BUYER_ADDRESS and issue.fix_url_name == "portal:order_detail"
    assert ready.amazon_order_id in issue.message


def test_cep_of_another_state_and_municipality_of_another_state(ready):
    ready.cep = "20040002"  # Rio de Janeiro
    ready.city_code = "3304557"
    assert {"cep_uf_mismatch", "city_code_unknown"} <= {c for _, c in issues(ready)}


@pytest.mark.parametrize("document, code", [("", "buyer_document_missing"), ("12345678900", "buyer_document_invalid"),
                                            ("11222333000100", "buyer_document_invalid")])
def test_buyer_document_missing_or_invalid(ready, document, code):
    ready.buyer_document = document
    assert (ErrorCategory.BUYER_ADDRESS, code) in issues(ready)


def test_company_buyer_marked_taxpayer_needs_an_ie(ready):
    ready.buyer_document = complete_cnpj("112223330001")
    ready.buyer_ie_indicator = Order.BuyerIeIndicator.CONTRIBUINTE
    assert (ErrorCategory.BUYER_ADDRESS, "buyer_ie_inconsistent") in issues(ready)
    ready.buyer_ie = "110042490114"
    assert check_order(ready) == []


def test_amazon_authorization_expired_after_365_days(ready, seller_a):
    AmazonAuthorization.objects.filter(seller=seller_a).update(authorized_at=timezone.now() - timedelta(days=366))
    seller_a.refresh_from_db()
    issue = one(ready, "amazon_authorization_expired")
    assert issue.category == ErrorCategory.CREDENTIALS and issue.fix_url_name == "portal:credentials"


def test_amazon_authorization_lost_or_missing(ready, seller_a):
    AmazonAuthorization.objects.filter(seller=seller_a).update(state=AmazonAuthorization.State.LOST)
    seller_a.refresh_from_db()
    assert (ErrorCategory.CREDENTIALS, "amazon_authorization_lost") in issues(ready)
    AmazonAuthorization.objects.filter(seller=seller_a).delete()
    ready.seller = type(seller_a).objects.get(pk=seller_a.pk)
    assert (ErrorCategory.CREDENTIALS, "amazon_authorization_missing") in issues(ready)


def test_certificate_missing_expired_or_not_yet_valid(ready, seller_a):
    seller_a.certificates.all().delete()
    assert (ErrorCategory.CREDENTIALS, "certificate_missing") in issues(ready)
    CertificateFactory(seller=seller_a)
    later = timezone.now() + timedelta(days=400)
    assert "certificate_expired" in {i.code for i in check_order(ready, now=later)}
    earlier = timezone.now() - timedelta(days=3)
    assert "certificate_not_yet_valid" in {i.code for i in check_order(ready, now=earlier)}


def test_certificate_of_another_cnpj_root(ready, seller_a, seller_b):
    seller_a.certificates.all().delete()
    cert = CertificateFactory(seller=seller_b)
    cert.seller = seller_a
    cert.save()
    assert (ErrorCategory.CREDENTIALS, "certificate_other_cnpj") in issues(ready)


def test_interstate_sale_needs_the_destination_rate_for_difal(ready):
    ready.uf, ready.cep, ready.city_code, ready.city_name = "RJ", "20040002", "3304557", "Rio de Janeiro"
    assert check_order(ready) == []
    StateTaxRate.objects.filter(uf="RJ").delete()
    issue = one(ready, "state_rate_missing")
    assert issue.category == ErrorCategory.TAX_DATA and issue.fix_url_name == "admin"


def test_cfop_must_match_the_destination(ready):
    group = ready.items.get().product.tax_group
    group.cfop_interstate = "5102"
    group.save()
    ready.uf, ready.cep, ready.city_code, ready.city_name = "RJ", "20040002", "3304557", "Rio de Janeiro"
    issue = one(ready, "cfop_destination_mismatch")
    assert issue.category == ErrorCategory.TAX_DATA and issue.fix_url_name == "portal:tax_groups"


def test_regime_mismatch_is_tax_data(ready, seller_a):
    product = ready.items.get().product
    product.tax_group = TaxGroupFactory(seller=seller_a, icms_cst="00")  # CST on a Simples seller
    product.save()
    assert (ErrorCategory.TAX_DATA, "regime_mismatch") in issues(ready)


def test_prices_and_empty_orders(ready):
    item = ready.items.get()
    item.discount = Decimal("150.00")
    item.save()
    assert (ErrorCategory.TAX_DATA, "discount_above_price") in issues(ready)
    item.item_price = Decimal("0")
    item.save()
    assert (ErrorCategory.TAX_DATA, "price_not_positive") in issues(ready)
    ready.items.all().delete()
    assert issues(ready) == {(ErrorCategory.TAX_DATA, "order_without_items")}


def test_blocked_order_stores_issue_dicts(ready):
    ready.number = ""
    assert run_preflight(ready) is False
    stored = Order.objects.get(pk=ready.pk)
    assert stored.preflight_status == PreflightStatus.BLOCKED
    assert stored.preflight_issues[0]["category"] == "buyer_address"
    assert set(stored.preflight_issues[0]) >= {"category", "code", "message", "field", "fix_url_name"}
