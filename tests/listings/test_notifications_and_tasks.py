from django.core.management import call_command

from integration.listings.sync import apply_listing_notification, refresh_offers
from integration.listings.tasks import refresh_offers_task, scan_hybrids_task
from products.models import Offer

from .conftest import SELLER_SP, control, put_listing


def _published(amazon, sku: str) -> dict:
    return control(amazon, "POST", f"listings/{SELLER_SP}/{sku}/publish")


def test_a_status_change_notification_brings_the_sku_up_to_date(amazon, seller):
    put_listing(amazon, "ONSITE-1", asin="B0ONSITE01", price=20, channels={"AMAZON_NA": None})
    refresh_offers(seller)
    put_listing(amazon, "ONSITE-1", asin="B0ONSITE01", price=25, channels={"AMAZON_NA": None, "DEFAULT": 2})

    assert apply_listing_notification(_published(amazon, "ONSITE-1")) is True

    offers = Offer.objects.for_seller(seller).filter(sku="ONSITE-1")
    assert sorted(offers.values_list("fulfillment_channel", "is_hybrid")) == [("AMAZON_NA", True), ("DEFAULT", True)]
    assert {str(o.price) for o in offers} == {"25.00"}


def test_a_notification_for_a_deleted_listing_removes_our_rows(amazon, seller):
    put_listing(amazon, "GONE-1", asin="B0GONE0001", price=20, channels={"AMAZON_NA": None})
    refresh_offers(seller)
    message = _published(amazon, "GONE-1")
    token_client_delete(amazon, seller, "GONE-1")

    apply_listing_notification(message)

    assert not Offer.objects.for_seller(seller).filter(sku="GONE-1").exists()


def token_client_delete(amazon, seller, sku):
    from integration.client import SpApiClient
    from integration.listings import api

    api.delete_listings_item(SpApiClient(seller), sku)


def test_a_notification_for_an_unknown_seller_is_ignored(amazon, seller):
    message = _published_for_unknown(amazon)

    assert apply_listing_notification(message) is False


def _published_for_unknown(amazon):
    put_listing(amazon, "ANY-1", asin="B0ANY00001", price=20, channels={"AMAZON_NA": None})
    message = _published(amazon, "ANY-1")
    message["Payload"]["SellerId"] = "ANOTHERSELLER"
    return message


def test_tasks_and_commands_refresh_and_scan_by_id(amazon, seller, capsys):
    put_listing(amazon, "ONE-SKU", asin="B0ONESKU01", price=50, channels={"AMAZON_NA": None, "DEFAULT": 4})

    refresh_offers_task(seller.pk)
    assert Offer.objects.for_seller(seller).hybrid().count() == 2
    Offer.objects.for_seller(seller).update(is_hybrid=False)
    scan_hybrids_task(seller.pk)
    assert Offer.objects.for_seller(seller).hybrid().count() == 2
    call_command("scan_hybrids", str(seller.pk))
    call_command("refresh_offers", SELLER_SP)
    assert "2" in capsys.readouterr().out
