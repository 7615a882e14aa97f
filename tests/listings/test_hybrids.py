import pytest

from integration.listings.hybrids import preview_removal, remove_hybrids, scan_hybrids
from integration.listings.models import HybridRemoval
from integration.listings.sync import refresh_offers
from products.models import Offer
from tests.factories import OfferFactory

from .conftest import SELLER_SP, channels_on_amazon, control, listings_on_amazon, put_listing


@pytest.fixture
def hybrid_catalogue(amazon, seller):
    put_listing(amazon, "ONE-SKU", asin="B0ONESKU01", price=50, channels={"AMAZON_NA": None, "DEFAULT": 4})
    put_listing(amazon, "TWIN-FBA", asin="B0TWIN0001", price=60, channels={"AMAZON_NA": None})
    put_listing(amazon, "TWIN-MFN", asin="B0TWIN0001", price=60, channels={"DEFAULT": 2})
    put_listing(amazon, "CLEAN", asin="B0CLEAN001", price=70, channels={"AMAZON_NA": None})
    refresh_offers(seller)
    return seller


def test_hybrids_in_both_forms_are_found_after_a_refresh(hybrid_catalogue):
    hybrid = Offer.objects.for_seller(hybrid_catalogue).hybrid()

    assert sorted(hybrid.values_list("sku", "fulfillment_channel")) == [
        ("ONE-SKU", "AMAZON_NA"), ("ONE-SKU", "DEFAULT"), ("TWIN-FBA", "AMAZON_NA"), ("TWIN-MFN", "DEFAULT")]


def test_the_preview_names_which_channel_of_which_sku_goes(hybrid_catalogue):
    plans = {plan.offer.sku: plan for plan in preview_removal(hybrid_catalogue)}

    assert {sku: plan.action for sku, plan in plans.items()} == {
        "ONE-SKU": "patch_fulfillment", "TWIN-MFN": "delete_sku"}
    assert all(plan.offer.fulfillment_channel == "DEFAULT" for plan in plans.values())
    assert "ONE-SKU" in plans["ONE-SKU"].description_pt and "B0TWIN0001" in plans["TWIN-MFN"].description_pt


def test_previewing_changes_nothing_on_amazon(amazon, hybrid_catalogue):
    preview_removal(hybrid_catalogue)

    assert channels_on_amazon(amazon, "ONE-SKU") == {"AMAZON_NA", "DEFAULT"}
    assert "TWIN-MFN" in listings_on_amazon(amazon)


def test_confirmed_removal_takes_only_the_merchant_side_and_is_recorded(amazon, hybrid_catalogue, staff):
    ids = [plan.offer.pk for plan in preview_removal(hybrid_catalogue)]

    removals = remove_hybrids(hybrid_catalogue, ids, actor=staff)

    assert {r.outcome for r in removals} == {"accepted"}
    assert channels_on_amazon(amazon, "ONE-SKU") == {"AMAZON_NA"}
    assert "TWIN-MFN" not in listings_on_amazon(amazon) and "TWIN-FBA" in listings_on_amazon(amazon)
    recorded = HybridRemoval.objects.for_seller(hybrid_catalogue)
    assert sorted(recorded.values_list("sku", "action", "requested_by__username")) == [
        ("ONE-SKU", "patch_fulfillment", "staff"), ("TWIN-MFN", "delete_sku", "staff")]
    assert all(r.submission_id and r.amazon_response["status"] == "ACCEPTED" for r in recorded)
    assert not Offer.objects.for_seller(hybrid_catalogue).hybrid().exists()


def test_removal_limited_to_the_confirmed_offers(amazon, hybrid_catalogue, staff):
    chosen = Offer.objects.get(seller=hybrid_catalogue, sku="TWIN-FBA")  # either side names the hybrid

    removals = remove_hybrids(hybrid_catalogue, [chosen.pk], actor=staff)

    assert [r.sku for r in removals] == ["TWIN-MFN"]
    assert channels_on_amazon(amazon, "ONE-SKU") == {"AMAZON_NA", "DEFAULT"}


def test_a_removal_amazon_fails_is_recorded_as_failed_and_the_offer_stays(amazon, hybrid_catalogue, staff):
    control(amazon, "POST", "faults", operation="deleteListingsItem", status=500, count=10)
    twin = Offer.objects.get(seller=hybrid_catalogue, sku="TWIN-MFN")

    [removal] = remove_hybrids(hybrid_catalogue, [twin.pk], actor=staff)

    assert removal.outcome == "failed" and removal.amazon_response["status"] == 500
    assert Offer.objects.filter(pk=twin.pk, is_hybrid=True).exists()


def test_another_sellers_offers_are_neither_scanned_nor_removed(hybrid_catalogue, seller_b, staff):
    OfferFactory(seller=seller_b, sku="X", asin="B0TWIN0001", fulfillment_channel="DEFAULT")

    assert scan_hybrids(seller_b) == 0
    assert remove_hybrids(hybrid_catalogue, list(Offer.objects.for_seller(seller_b).values_list("pk", flat=True)),
                          actor=staff) == []
