from decimal import Decimal

from integration.listings.reports import parse_rows
from integration.listings.sync import refresh_offers
from products.models import Offer
from tests.factories import ProductFactory

from .conftest import SELLER_SP, control, put_listing


def test_a_catalogue_of_5000_offers_is_loaded_through_the_report(amazon, seller):
    made = control(amazon, "POST", f"listings/{SELLER_SP}/generate", count=5000, hybridEvery=0, twinEvery=0)["listings"]

    result = refresh_offers(seller)

    assert made == 5000
    assert result.rows == 5000 and result.created == 5000
    assert Offer.objects.for_seller(seller).count() == 5000
    assert Offer.objects.for_seller(seller).filter(is_fba_onsite=True).count() == 4000  # 1 in 5 is merchant-fulfilled


def test_report_rows_carry_channel_price_and_quantity(amazon, seller):
    put_listing(amazon, "PANELA-01", asin="B0PANELA01", price=149.9, channels={"DEFAULT": 7})
    put_listing(amazon, "PANELA-02", asin="B0PANELA02", price=89.5, channels={"AMAZON_NA": None})

    refresh_offers(seller)

    merchant = Offer.objects.get(seller=seller, sku="PANELA-01")
    onsite = Offer.objects.get(seller=seller, sku="PANELA-02")
    assert (merchant.fulfillment_channel, merchant.quantity, merchant.price) == ("DEFAULT", 7, Decimal("149.90"))
    assert (onsite.fulfillment_channel, onsite.is_fba_onsite, onsite.quantity) == ("AMAZON_NA", True, None)


def test_offers_are_linked_to_products_by_sku_then_by_asin(amazon, seller):
    by_sku = ProductFactory(seller=seller, sku="PANELA-01", asin="")
    by_asin = ProductFactory(seller=seller, sku="OUR-OWN-CODE", asin="B0TAMPA001")
    put_listing(amazon, "PANELA-01", asin="B0PANELA01", price=10, channels={"AMAZON_NA": None})
    put_listing(amazon, "AMZ-TAMPA", asin="B0TAMPA001", price=10, channels={"AMAZON_NA": None})

    result = refresh_offers(seller)

    assert result.linked == 2
    assert Offer.objects.get(seller=seller, sku="PANELA-01").product == by_sku
    assert Offer.objects.get(seller=seller, sku="AMZ-TAMPA").product == by_asin


def test_an_offer_gone_from_amazon_is_gone_after_the_next_refresh(amazon, seller):
    put_listing(amazon, "PANELA-01", asin="B0PANELA01", price=10, channels={"AMAZON_NA": None})
    refresh_offers(seller)
    control(amazon, "POST", "reset")
    control(amazon, "POST", "listings/settings", reportDelaySeconds=0.3)

    result = refresh_offers(seller)

    assert result.removed == 1
    assert not Offer.objects.for_seller(seller).exists()


def test_inactive_offers_get_amazons_issues_from_get_listings_item(amazon, seller):
    issue = {"code": "18155", "message": "The 'minimum price' is greater than the selling price.",
             "severity": "ERROR", "categories": ["INVALID_PRICE"]}
    put_listing(amazon, "PANELA-03", asin="B0PANELA03", price=10, channels={"DEFAULT": 0}, issues=[issue])

    result = refresh_offers(seller)

    assert result.details == 1
    assert Offer.objects.get(seller=seller, sku="PANELA-03").issues[0]["code"] == "18155"


def test_the_tsv_parser_tolerates_missing_columns_and_bad_numbers():
    text = "seller-sku\tfulfillment-channel\tprice\tquantity\nA\tAMAZON_NA\tabc\t\nB\tDEFAULT\t12.345\t3\n"

    rows = list(parse_rows(text.splitlines(keepends=True)))

    assert [(r.sku, r.channel, r.price, r.quantity) for r in rows] == [
        ("A", "AMAZON_NA", None, None), ("B", "DEFAULT", Decimal("12.345"), 3)]
