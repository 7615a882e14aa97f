from decimal import Decimal

import pytest

from integration.listings.offers import (HybridRiskError, close_offer, convert_to_fba_onsite,
                                         create_fba_onsite_offer, pause_offer, update_price, update_quantity)
from integration.listings.sync import refresh_offers
from products.models import Offer
from tests.factories import ProductFactory

from .conftest import channels_on_amazon, listings_on_amazon, put_listing


def test_creation_is_validated_first_and_a_missing_attribute_stops_it(amazon, seller):
    product = ProductFactory(seller=seller, sku="FACA-01", asin="B0FACA0001")

    result = create_fba_onsite_offer(product, price=Decimal("59.90"), product_type="KITCHEN")

    assert (result.status, result.submitted) == ("INVALID", False)
    assert [i["code"] for i in result.preview_issues] == ["90220"]
    assert "supplier_declared_dg_hz_regulation" in result.preview_issues[0]["explanation"]
    assert "FACA-01" not in listings_on_amazon(amazon)


def test_preview_only_returns_the_issues_without_submitting(amazon, seller):
    product = ProductFactory(seller=seller, sku="VASO-01", asin="B0VASO0001")

    result = create_fba_onsite_offer(product, price=Decimal("35.00"), preview_only=True)

    assert (result.status, result.submitted, result.preview_issues) == ("VALID", False, [])
    assert "VASO-01" not in listings_on_amazon(amazon)


def test_a_valid_offer_is_submitted_fba_onsite_without_quantity(amazon, seller):
    product = ProductFactory(seller=seller, sku="VASO-01", asin="B0VASO0001")

    result = create_fba_onsite_offer(product, price=Decimal("35.005"))

    assert (result.status, result.submitted) == ("ACCEPTED", True)
    listing = listings_on_amazon(amazon)["VASO-01"]
    assert listing["attributes"]["fulfillment_availability"] == [{"fulfillment_channel_code": "AMAZON_NA"}]
    assert listing["attributes"]["purchasable_offer"][0]["our_price"][0]["schedule"][0]["value_with_tax"] == 35.01
    offer = Offer.objects.get(seller=seller, sku="VASO-01")
    assert (offer.is_fba_onsite, offer.product, offer.price) == (True, product, Decimal("35.01"))


def test_a_quantity_for_an_fba_onsite_sku_is_refused_and_no_twin_appears(amazon, seller):
    put_listing(amazon, "ONSITE-1", asin="B0ONSITE01", price=20, channels={"AMAZON_NA": None})
    refresh_offers(seller)
    offer = Offer.objects.get(seller=seller, sku="ONSITE-1")

    with pytest.raises(HybridRiskError, match="Seller Flex"):
        update_quantity(offer, 5)

    assert channels_on_amazon(amazon, "ONSITE-1") == {"AMAZON_NA"}


def test_a_sku_that_became_fba_onsite_on_amazon_since_the_refresh_is_refused_too(amazon, seller):
    put_listing(amazon, "MOVED-1", asin="B0MOVED001", price=20, channels={"DEFAULT": 3})
    refresh_offers(seller)
    put_listing(amazon, "MOVED-1", asin="B0MOVED001", price=20, channels={"AMAZON_NA": None})
    stale = Offer.objects.get(seller=seller, sku="MOVED-1")

    with pytest.raises(HybridRiskError):
        update_quantity(stale, 5)

    assert channels_on_amazon(amazon, "MOVED-1") == {"AMAZON_NA"}


def test_merchant_quantity_uses_merge_and_keeps_the_price(amazon, seller):
    put_listing(amazon, "MFN-1", asin="B0MFN00001", price=42.5, channels={"DEFAULT": 3})
    refresh_offers(seller)

    update_quantity(Offer.objects.get(seller=seller, sku="MFN-1"), 9)

    listing = listings_on_amazon(amazon)["MFN-1"]
    assert listing["attributes"]["fulfillment_availability"] == [{"fulfillment_channel_code": "DEFAULT", "quantity": 9}]
    assert listing["attributes"]["purchasable_offer"][0]["our_price"][0]["schedule"][0]["value_with_tax"] == 42.5


def test_price_update_pause_and_close(amazon, seller):
    put_listing(amazon, "ONSITE-2", asin="B0ONSITE02", price=20, channels={"AMAZON_NA": None})
    refresh_offers(seller)
    offer = Offer.objects.get(seller=seller, sku="ONSITE-2")

    update_price(offer, Decimal("24.90"))
    assert Offer.objects.get(pk=offer.pk).price == Decimal("24.90")
    pause_offer(offer)
    assert listings_on_amazon(amazon)["ONSITE-2"]["status"] == ["DISCOVERABLE"]
    close_offer(offer)
    assert "ONSITE-2" not in listings_on_amazon(amazon)
    assert not Offer.objects.filter(seller=seller, sku="ONSITE-2").exists()


def test_converting_a_merchant_offer_leaves_only_the_fba_onsite_channel(amazon, seller):
    put_listing(amazon, "MFN-2", asin="B0MFN00002", price=20, channels={"DEFAULT": 3})
    refresh_offers(seller)

    convert_to_fba_onsite(Offer.objects.get(seller=seller, sku="MFN-2"))

    assert channels_on_amazon(amazon, "MFN-2") == {"AMAZON_NA"}
    assert list(Offer.objects.filter(seller=seller, sku="MFN-2").values_list("fulfillment_channel", "is_hybrid")) == [
        ("AMAZON_NA", False)]


def test_the_refusal_is_explained_in_portuguese(amazon, seller, tmp_path):
    import subprocess
    from pathlib import Path

    from django.test import override_settings
    from django.utils import translation

    target = tmp_path / "pt_BR" / "LC_MESSAGES"
    target.mkdir(parents=True)
    fragment = Path(__file__).resolve().parents[2] / "locale" / "fragments" / "listings.po"
    subprocess.run(["msgfmt", "-o", str(target / "django.mo"), str(fragment)], check=True)
    put_listing(amazon, "ONSITE-9", asin="B0ONSITE09", price=20, channels={"AMAZON_NA": None})
    refresh_offers(seller)

    with override_settings(LOCALE_PATHS=[str(tmp_path)]), translation.override("pt-br"):
        translation.trans_real._translations = {}
        with pytest.raises(HybridRiskError, match="gerenciado só no Seller Flex"):
            update_quantity(Offer.objects.get(seller=seller, sku="ONSITE-9"), 1)
    translation.trans_real._translations = {}
