from django.urls import reverse

from integration.listings.models import HybridRemoval
from integration.listings.sync import refresh_offers
from products.models import Offer

from .conftest import channels_on_amazon, put_listing


def test_staff_preview_then_remove_hybrids_from_the_offer_admin(amazon, seller, staff, client, django_capture_on_commit_callbacks):
    put_listing(amazon, "ONE-SKU", asin="B0ONESKU01", price=50, channels={"AMAZON_NA": None, "DEFAULT": 4})
    refresh_offers(seller)
    client.force_login(staff)
    url = reverse("admin:products_offer_changelist")
    selected = [str(pk) for pk in Offer.objects.for_seller(seller).values_list("pk", flat=True)]

    preview = client.post(url, {"action": "preview_hybrid_removal", "_selected_action": selected}, follow=True)
    assert "ONE-SKU" in preview.content.decode() and channels_on_amazon(amazon, "ONE-SKU") == {"AMAZON_NA", "DEFAULT"}

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "remove_hybrid_offers", "_selected_action": selected}, follow=True)
    assert channels_on_amazon(amazon, "ONE-SKU") == {"AMAZON_NA"}
    assert HybridRemoval.objects.get(seller=seller).requested_by == staff
    assert client.get(reverse("admin:integration_hybridremoval_changelist")).status_code == 200
