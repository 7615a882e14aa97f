"""The Webhooks page: a seller manages their own endpoints; the secret is shown once; a receiver can verify it."""

import hashlib
import hmac
import json
import re

import pytest
from django.test import override_settings
from django.urls import reverse

from portal.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from portal.webhooks import create_endpoint, deliver
from sellers.models import SellerUser
from tests.factories import SellerUserFactory

from .conftest import logged_in
from .test_webhooks import receiver  # noqa: F401 - the local HTTP receiver fixture

SECRET_IN_PAGE = re.compile(r'<span class="mono secret">([^<]+)</span>')
PAGE = "/integracoes/webhooks/"


def create_through_the_page(client, url, events=()):
    return client.post(reverse("portal:webhooks"), {"url": url, "events": list(events)})


def test_the_page_lives_at_its_portuguese_path_and_is_in_the_menu(client_a):
    assert reverse("portal:webhooks") == PAGE
    body = client_a.get(reverse("portal:dashboard")).content.decode()
    assert f'href="{PAGE}"' in body


@override_settings(DEBUG=False)
def test_creating_an_endpoint_shows_the_secret_once_and_never_again(client_a, seller_a):
    response = create_through_the_page(client_a, "https://erp.example.com/hooks", [WebhookEvent.INVOICE_AUTHORIZED])
    assert response.status_code == 201
    secret = SECRET_IN_PAGE.search(response.content.decode()).group(1)
    endpoint = WebhookEndpoint.objects.for_seller(seller_a).get()
    assert endpoint.secret.reveal() == secret and endpoint.events == ["invoice.authorized"]
    assert "X-Onsite-Signature" in response.content.decode()
    later = client_a.get(PAGE).content.decode()
    assert "https://erp.example.com/hooks" in later and secret not in later and not SECRET_IN_PAGE.search(later)
    api = client_a.get(reverse("api:webhook-list")).content.decode() + client_a.get(
        reverse("api:webhook-detail", args=[endpoint.pk])).content.decode()
    assert secret not in api


@override_settings(DEBUG=False)
@pytest.mark.parametrize("url", ["http://127.0.0.1:8000/hook", "http://localhost/hook", "http://erp.example.com/hook"])
def test_a_plain_http_url_is_refused_when_debug_is_off(client_a, seller_a, url):
    response = create_through_the_page(client_a, url)
    assert response.status_code == 400 and "HTTPS" in response.content.decode()
    assert not WebhookEndpoint.objects.for_seller(seller_a).exists()


@override_settings(DEBUG=True)
def test_a_local_http_url_is_accepted_while_developing_but_not_a_remote_one(client_a, seller_a):
    assert create_through_the_page(client_a, "http://localhost:8000/hook").status_code == 201
    assert create_through_the_page(client_a, "http://erp.example.com/hook").status_code == 400
    assert WebhookEndpoint.objects.for_seller(seller_a).count() == 1


@override_settings(DEBUG=True)
def test_a_receiver_verifies_the_test_event_with_the_secret_the_page_showed(client_a, seller_a, receiver):  # noqa: F811
    secret = SECRET_IN_PAGE.search(create_through_the_page(client_a, receiver.url).content.decode()).group(1)
    other, _secret = create_endpoint(seller_a, url="http://127.0.0.1:9/other")
    endpoint = WebhookEndpoint.objects.for_seller(seller_a).exclude(pk=other.pk).get()
    assert client_a.post(reverse("portal:webhook_send_test", args=[endpoint.pk])).status_code == 302
    delivery = WebhookDelivery.objects.get()  # the test goes to that endpoint only
    assert delivery.endpoint == endpoint and delivery.event == WebhookEvent.TEST
    assert deliver(delivery).status == WebhookDelivery.Status.DELIVERED
    headers, body = receiver.requests[0]
    t, v1 = (part.split("=", 1)[1] for part in headers["X-Onsite-Signature"].split(","))
    assert hmac.compare_digest(v1, hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest())
    assert json.loads(body)["event"] == "webhook.test"


def test_the_page_lists_the_last_deliveries_in_sao_paulo_time(client_a, world_a):
    delivery = world_a["delivery"]
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=WebhookDelivery.Status.FAILED, attempts=6,
                                                          created_at="2026-03-10T15:30:00Z")
    body = client_a.get(PAGE).content.decode()
    assert "10/03/2026 12:30" in body and "http://127.0.0.1:9/hook" in body
    assert reverse("portal:webhook_delivery_resend", args=[delivery.pk]) in body


def test_resending_a_failed_delivery_replays_it(client_a, world_a):
    delivery = world_a["delivery"]
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=WebhookDelivery.Status.FAILED)
    client_a.post(reverse("portal:webhook_delivery_resend", args=[delivery.pk]))
    assert WebhookDelivery.objects.filter(replay_of=delivery).count() == 1


def test_a_delivery_still_in_progress_is_not_resent(client_a, world_a):
    client_a.post(reverse("portal:webhook_delivery_resend", args=[world_a["delivery"].pk]))
    assert not WebhookDelivery.objects.filter(replay_of=world_a["delivery"]).exists()


def test_deactivating_then_deleting_an_endpoint(client_a, world_a):
    endpoint = world_a["endpoint"]
    client_a.post(reverse("portal:webhook_deactivate", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.active is False
    client_a.post(reverse("portal:webhook_delete", args=[endpoint.pk]))
    assert not WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()


def test_a_viewer_sees_the_endpoints_but_every_post_is_refused(seller_a, world_a):
    viewer = logged_in(SellerUserFactory(seller=seller_a, role=SellerUser.Role.VIEWER, user__username="vera").user)
    page = viewer.get(PAGE)
    assert page.status_code == 200 and "http://127.0.0.1:9/hook" in page.content.decode()
    assert "Criar endpoint" not in page.content.decode() and 'name="url"' not in page.content.decode()
    endpoint, delivery = world_a["endpoint"], world_a["delivery"]
    for url in [PAGE, reverse("portal:webhook_deactivate", args=[endpoint.pk]),
                reverse("portal:webhook_delete", args=[endpoint.pk]), reverse("portal:webhook_send_test", args=[endpoint.pk]),
                reverse("portal:webhook_delivery_resend", args=[delivery.pk])]:
        assert viewer.post(url, {"url": "https://x.example.com/"}).status_code == 403, url
    assert WebhookEndpoint.objects.for_seller(seller_a).count() == 1
    assert WebhookDelivery.objects.count() == 1


def test_another_sellers_endpoint_is_a_404(client_b, world_a):
    endpoint = world_a["endpoint"]
    for name in ("webhook_deactivate", "webhook_delete", "webhook_send_test"):
        assert client_b.post(reverse(f"portal:{name}", args=[endpoint.pk])).status_code == 404
    assert client_b.post(reverse("portal:webhook_delivery_resend", args=[world_a["delivery"].pk])).status_code == 404
    assert "127.0.0.1:9" not in client_b.get(PAGE).content.decode()
