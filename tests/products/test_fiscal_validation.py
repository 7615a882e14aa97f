import pytest

from orders.models import PreflightStatus
from products.fiscal_validation import (
    product_fiscal_issues, revalidate_seller, update_fiscal_attributes, validate_product,
)
from sellers.models import TaxRegime
from tests.factories import (
    AmazonAuthorizationFactory, CertificateFactory, OrderFactory, OrderItemFactory, ProductFactory, TaxGroupFactory,
)

VALID_NCM = "85171300"  # smartphones, in force since 2022


def codes(product):
    return [issue.code for issue in product_fiscal_issues(product)]


@pytest.fixture
def product(seller_a, reference_data):
    return ProductFactory(seller=seller_a, sku="SKU-123", ncm=VALID_NCM)


def test_a_complete_product_has_no_issues(product):
    assert codes(product) == []


@pytest.mark.parametrize("ncm, code", [("", "ncm_missing"), ("8517", "ncm_malformed"), ("8517A300", "ncm_malformed"),
                                       ("85171231", "ncm_unknown")])
def test_ncm_problems_are_named_with_the_sku(product, ncm, code):
    product.ncm = ncm
    issues = product_fiscal_issues(product)
    assert [i.code for i in issues] == [code]
    assert "SKU-123" in issues[0].message and issues[0].field == "ncm"


def test_st_tax_group_requires_a_cest(product, seller_a):
    product.tax_group = TaxGroupFactory(seller=seller_a, icms_cst="500")
    assert codes(product) == ["cest_missing"]
    product.tax_group = TaxGroupFactory(seller=seller_a, icms_cst="102")
    assert codes(product) == []


@pytest.mark.parametrize("cest, ncm, code", [
    ("01001", "38151210", "cest_malformed"),
    ("9999999", "38151210", "cest_unknown"),
    ("0100100", VALID_NCM, "cest_ncm_mismatch"),
])
def test_cest_must_exist_and_cover_the_ncm(product, cest, ncm, code):
    product.cest, product.ncm = cest, ncm
    assert codes(product) == [code]


def test_cest_of_the_annex_is_accepted_for_its_ncm(product):
    product.cest, product.ncm = "0100100", "38151210"
    assert codes(product) == []


def test_origin_tax_group_and_gtin(product):
    product.origin, product.tax_group, product.gtin = None, None, "7891000315508"
    assert codes(product) == ["origin_missing", "gtin_invalid", "tax_group_missing"]


def test_csosn_tax_group_does_not_fit_a_regime_normal_seller(product, seller_a):
    seller_a.crt = TaxRegime.REGIME_NORMAL
    assert codes(product) == ["regime_mismatch"]  # factory tax group uses CSOSN 102
    product.tax_group = TaxGroupFactory(seller=seller_a, icms_cst="00")
    assert codes(product) == []


def test_validate_product_stores_the_issue_codes(product):
    product.ncm = ""
    validate_product(product)
    product.refresh_from_db()
    assert product.fiscal_issues == ["ncm_missing"] and product.fiscal_checked_at is not None


def test_update_normalizes_dotted_codes_and_clears_issues(product):
    product.ncm = ""
    validate_product(product)
    issues = update_fiscal_attributes(product, ncm="3815.12.10", cest="01.001.00")
    product.refresh_from_db()
    assert issues == [] and (product.ncm, product.cest, product.fiscal_issues) == ("38151210", "0100100", [])


def test_fixing_the_product_releases_the_blocked_order(product, seller_a):
    AmazonAuthorizationFactory(seller=seller_a)
    CertificateFactory(seller=seller_a)
    order = OrderFactory(seller=seller_a)
    OrderItemFactory(order=order, sku="SKU-123", product=product)
    product.ncm = ""
    product.save()
    from fiscal.preflight import run_preflight
    assert run_preflight(order) is False
    update_fiscal_attributes(product, ncm="8517.13.00")
    order.refresh_from_db()
    assert order.preflight_status == PreflightStatus.OK and order.preflight_issues == []


def test_update_refuses_another_sellers_tax_group(product, seller_b):
    with pytest.raises(ValueError):
        update_fiscal_attributes(product, tax_group=TaxGroupFactory(seller=seller_b))


def test_revalidate_seller_counts_products_with_issues(product, seller_a, seller_b):
    ProductFactory(seller=seller_a, ncm="")
    ProductFactory(seller=seller_b, ncm="")
    assert revalidate_seller(seller_a) == 1
