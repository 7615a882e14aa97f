"""/api/webhooks/: list, create (the secret in that response only), destroy, and each endpoint's deliveries."""

from django.test import override_settings
from django.urls import reverse

from portal.models import WebhookEndpoint
from sellers.models import SellerUser
from tests.factories import SellerUserFactory

from .test_api import token_client


@override_settings(DEBUG=False)
def test_creating_returns_the_secret_once_and_later_bodies_never_do(user_a, seller_a):
    api = token_client("alice")
    created = api.post("/api/webhooks/", {"url": "https://erp.example.com/h", "events": ["invoice.rejected"]}, format="json")
    assert created.status_code == 201
    secret = created.json()["secret"]
    endpoint = WebhookEndpoint.objects.get(pk=created.json()["id"])
    assert endpoint.seller == seller_a and endpoint.secret.reveal() == secret
    for url in ("/api/webhooks/", f"/api/webhooks/{endpoint.pk}/", f"/api/webhooks/{endpoint.pk}/deliveries/"):
        response = api.get(url)
        assert response.status_code == 200 and secret not in response.content.decode() and "secret" not in response.json()


@override_settings(DEBUG=False)
def test_a_plain_http_url_is_refused_in_production(user_a):
    response = token_client("alice").post("/api/webhooks/", {"url": "http://127.0.0.1:8000/h"}, format="json")
    assert response.status_code == 400 and "url" in response.json()["error"]["fields"]


def test_a_member_cannot_create_for_another_seller(user_a, seller_a, seller_b):
    response = token_client("alice").post("/api/webhooks/", {"url": "https://x.example.com/", "seller": seller_b.pk},
                                          format="json")
    assert response.status_code == 201 and WebhookEndpoint.objects.get().seller == seller_a


def test_deliveries_are_listed_read_only_and_destroy_removes_the_endpoint(user_a, world_a):
    api, endpoint = token_client("alice"), world_a["endpoint"]
    deliveries = api.get(reverse("api:webhook-deliveries", args=[endpoint.pk])).json()["results"]
    assert [d["id"] for d in deliveries] == [world_a["delivery"].pk] and deliveries[0]["status"] == "pending"
    assert api.post(reverse("api:webhook-deliveries", args=[endpoint.pk]), {}, format="json").status_code == 405
    assert api.delete(f"/api/webhooks/{endpoint.pk}/").status_code == 204
    assert not WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()


def test_a_viewer_token_reads_but_cannot_create_or_delete(seller_a, world_a):
    SellerUserFactory(seller=seller_a, role=SellerUser.Role.VIEWER, user__username="vera")
    api = token_client("vera")
    assert api.get("/api/webhooks/").status_code == 200
    assert api.post("/api/webhooks/", {"url": "https://x.example.com/"}, format="json").status_code == 403
    assert api.delete(f"/api/webhooks/{world_a['endpoint'].pk}/").status_code == 403


def test_the_root_and_the_schema_list_the_webhooks(user_a):
    api = token_client("alice")
    assert "webhooks" in api.get("/api/").json()
    paths = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    assert {"/api/webhooks/", "/api/webhooks/{id}/", "/api/webhooks/{id}/deliveries/"} <= set(paths)
