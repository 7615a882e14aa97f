from datetime import timedelta

from django.utils import timezone

from portal.checklist import invoicing_allowed, onboarding_checklist, render_checklist_html
from tests.factories import AmazonAuthorizationFactory, CertificateFactory, OfferFactory, ProductFactory


def _state(seller):
    return {item.key: item.ok for item in onboarding_checklist(seller)}


def test_a_new_seller_has_every_prerequisite_red_except_products_and_offers(seller_a):
    assert _state(seller_a) == {"amazon": False, "certificate": False, "fiscal": True, "hybrids": True}
    assert not invoicing_allowed(seller_a)


def test_all_four_green_allow_automatic_invoicing(seller_a, reference_data):
    AmazonAuthorizationFactory(seller=seller_a)
    CertificateFactory(seller=seller_a)
    ProductFactory(seller=seller_a)
    assert all(_state(seller_a).values())
    assert invoicing_allowed(seller_a)


def test_a_product_without_ncm_or_a_hybrid_offer_turns_its_item_red_with_a_link_to_fix_it(seller_a):
    ProductFactory(seller=seller_a, ncm="")
    OfferFactory(seller=seller_a, is_hybrid=True)
    items = {item.key: item for item in onboarding_checklist(seller_a)}
    assert not items["fiscal"].ok and "incompletos=1" in items["fiscal"].fix_url
    assert not items["hybrids"].ok and items["hybrids"].fix_url.endswith("/ofertas-hibridas/")


def test_an_expired_authorization_is_red(seller_a):
    AmazonAuthorizationFactory(seller=seller_a, authorized_at=timezone.now() - timedelta(days=400))
    assert _state(seller_a)["amazon"] is False


def test_staff_override_allows_invoicing_with_red_items(seller_a):
    seller_a.invoicing_override = True
    seller_a.save()
    assert invoicing_allowed(seller_a)


def test_the_admin_shows_the_same_items(seller_a):
    html = render_checklist_html(seller_a)
    assert html.count("<li>") == 4
