"""The credentials and hybrid-offer screens against the real local Amazon sandbox (LWA consent, SP-API, Listings)."""

import json
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from fiscal.preflight import run_preflight
from integration.listings.models import HybridRemoval
from integration.listings.sync import refresh_offers
from integration.models import OAuthState
from orders.models import Order, PreflightStatus
from products.models import Offer
from sandboxes.amazon.server import start_sandbox
from sellers.encryption import secret
from sellers.models import AmazonAuthorization
from tests.factories import AmazonAuthorizationFactory, CertificateFactory, OrderFactory, OrderItemFactory, ProductFactory
from tests.integration.conftest import SELLER_SP, control, refresh_token_of, sandbox_settings
from tests.listings.conftest import channels_on_amazon, listings_on_amazon, put_listing

DEMO = Path(__file__).resolve().parents[2] / "sandboxes" / "amazon" / "scenarios" / "demo.json"
CALLBACK = "http://testserver/credenciais/amazon/retorno/"  # what the test client's host makes of our callback


@pytest.fixture
def amazon(tmp_path, db):
    """The demo scenario with our portal's callback registered, as it is at Amazon for the real app."""
    scenario = json.loads(DEMO.read_text())
    scenario["application"]["redirect_uris"].append(CALLBACK)
    handle = start_sandbox(scenario, tmp_path / "amazon.sqlite3", rate_scale=1000, publish_on_start=False)
    with sandbox_settings(handle), override_settings(LISTINGS_REPORT_POLL_SECONDS=0.1):
        control(handle, "POST", "listings/settings", reportDelaySeconds=0.3)
        yield handle
    handle.stop()


@pytest.fixture
def authorization_a(amazon, seller_a):
    """Seller A connected to the sandbox's A1SIMPLESSPDEMO, 400 days ago: the authorization has expired."""
    return AmazonAuthorizationFactory(seller=seller_a, selling_partner_id=SELLER_SP,
                                      refresh_token=secret(refresh_token_of(amazon, SELLER_SP)),
                                      authorized_at=timezone.now() - timedelta(days=400))


@pytest.fixture
def token_blocked_order(seller_a, authorization_a, reference_data):
    product = ProductFactory(seller=seller_a, sku="ALFA-FONE", ncm="85183000")
    CertificateFactory(seller=seller_a)
    order = OrderFactory(seller=seller_a, amazon_order_id="701-ALFA009-0000009")
    OrderItemFactory(order=order, sku=product.sku, product=product)
    assert not run_preflight(order)
    assert [i["code"] for i in Order.objects.get(pk=order.pk).preflight_issues] == ["amazon_authorization_expired"]
    return order


def consent_at_amazon(amazon, consent_url: str) -> str:
    """What the seller does on Amazon's page: open it, pick the account, press Authorize. Returns where Amazon sends them."""
    page = requests.get(consent_url, timeout=5)
    assert page.status_code == 200 and SELLER_SP in page.text
    form = {k: v[0] for k, v in parse_qs(urlsplit(consent_url).query).items()}
    reply = requests.post(f"{amazon.url}/apps/authorize/consent", allow_redirects=False, timeout=5,
                          data={**form, "selling_partner_id": SELLER_SP, "decision": "authorize"})
    assert reply.status_code == 302
    return reply.headers["Location"]


def start_authorization(client, amazon) -> str:
    response = client.post(reverse("portal:amazon_authorize"))
    assert response.status_code == 302 and response["Location"].startswith(f"{amazon.url}/apps/authorize/consent?")
    return response["Location"]


def stored_token_column(seller) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT refresh_token FROM sellers_amazonauthorization WHERE seller_id = %s", [seller.pk])
        return str(cursor.fetchone()[0])


def messages_of(client, url: str) -> list[str]:
    return [str(m) for m in client.get(url).context["messages"]]


def test_authorize_sends_the_seller_to_amazons_consent_page_with_a_one_time_state(amazon, client_a, seller_a):
    consent_url = start_authorization(client_a, amazon)
    query = parse_qs(urlsplit(consent_url).query)
    assert query["redirect_uri"] == [CALLBACK]
    assert OAuthState.objects.filter(seller=seller_a, state=query["state"][0], used_at__isnull=True).exists()


def test_renewing_at_amazon_stores_the_new_token_encrypted_and_releases_the_blocked_order(
        amazon, client_a, seller_a, authorization_a, token_blocked_order):
    old_token = authorization_a.refresh_token.reveal()
    back = consent_at_amazon(amazon, start_authorization(client_a, amazon))
    assert back.startswith(CALLBACK) and {"spapi_oauth_code", "state", "selling_partner_id"} <= set(parse_qs(urlsplit(back).query))

    response = client_a.get(back)

    assert response.status_code == 302 and response["Location"] == reverse("portal:credentials")
    renewed = AmazonAuthorization.objects.get(seller=seller_a)
    assert renewed.refresh_token.reveal().startswith("Atzr|") and renewed.refresh_token.reveal() != old_token
    assert renewed.authorized_at > timezone.now() - timedelta(minutes=1) and renewed.is_usable()
    assert "Atzr|" not in stored_token_column(seller_a)
    assert Order.objects.get(pk=token_blocked_order.pk).preflight_status == PreflightStatus.OK
    assert messages_of(client_a, response["Location"]) == [
        "Autorização da Amazon salva: vale por 365 dias. Pedidos bloqueados liberados: 1."]


def test_a_forged_state_is_refused_in_portuguese_and_changes_nothing(amazon, client_a, seller_a, authorization_a):
    code = control(amazon, "POST", "auth-codes", sellingPartnerId=SELLER_SP, redirect_uri=CALLBACK)["spapi_oauth_code"]
    before = AmazonAuthorization.objects.filter(seller=seller_a).values("refresh_token", "authorized_at").get()

    response = client_a.get(reverse("portal:amazon_callback"), {
        "state": "forjado", "spapi_oauth_code": code, "selling_partner_id": SELLER_SP})

    [message] = messages_of(client_a, response["Location"])
    assert "Autorizar" in message and "inválido" in message
    assert AmazonAuthorization.objects.filter(seller=seller_a).values("refresh_token", "authorized_at").get() == before


def test_an_expired_state_is_refused_and_changes_nothing(amazon, client_a, seller_a, authorization_a):
    consent_url = start_authorization(client_a, amazon)
    OAuthState.objects.filter(seller=seller_a).update(expires_at=timezone.now() - timedelta(seconds=1))
    back = consent_at_amazon(amazon, consent_url)

    response = client_a.get(back)

    [message] = messages_of(client_a, response["Location"])
    assert "expirou" in message
    assert AmazonAuthorization.objects.get(seller=seller_a).authorized_at == authorization_a.authorized_at


def test_another_sellers_state_is_refused_and_neither_seller_changes(amazon, client_a, client_b, seller_a, seller_b,
                                                                     authorization_a):
    back = consent_at_amazon(amazon, start_authorization(client_b, amazon))

    response = client_a.get(back)

    assert "não foi iniciada pela sua conta" in messages_of(client_a, response["Location"])[0]
    assert AmazonAuthorization.objects.get(seller=seller_a).authorized_at == authorization_a.authorized_at
    assert not AmazonAuthorization.objects.filter(seller=seller_b).exists()
    assert OAuthState.objects.get(seller=seller_b).used_at is None


def test_testing_the_connection_shows_success_and_records_it(amazon, client_a, seller_a, authorization_a):
    AmazonAuthorization.objects.filter(pk=authorization_a.pk).update(authorized_at=timezone.now() - timedelta(days=10))

    response = client_a.post(reverse("portal:amazon_test"))

    [message] = client_a.get(response["Location"]).context["messages"]
    assert message.level_tag == "success" and "Paulista Utilidades" in str(message)
    assert AmazonAuthorization.objects.get(seller=seller_a).last_success_at is not None


def test_a_refused_connection_test_says_why_and_records_no_success(amazon, client_a, seller_a, authorization_a):
    AmazonAuthorization.objects.filter(pk=authorization_a.pk).update(authorized_at=timezone.now() - timedelta(days=10))
    control(amazon, "POST", "refresh-tokens/revoke", sellingPartnerId=SELLER_SP)

    response = client_a.post(reverse("portal:amazon_test"))

    [message] = client_a.get(response["Location"]).context["messages"]
    assert message.level_tag == "error" and str(message)
    assert AmazonAuthorization.objects.get(seller=seller_a).last_success_at is None


@pytest.fixture
def hybrid_catalogue(amazon, seller_a, authorization_a):
    AmazonAuthorization.objects.filter(pk=authorization_a.pk).update(authorized_at=timezone.now() - timedelta(days=10))
    put_listing(amazon, "ONE-SKU", asin="B0ONESKU01", price=50, channels={"AMAZON_NA": None, "DEFAULT": 4})
    put_listing(amazon, "TWIN-FBA", asin="B0TWIN0001", price=60, channels={"AMAZON_NA": None})
    put_listing(amazon, "TWIN-MFN", asin="B0TWIN0001", price=60, channels={"DEFAULT": 2})
    put_listing(amazon, "CLEAN", asin="B0CLEAN001", price=70, channels={"AMAZON_NA": None})
    refresh_offers(seller_a)
    return seller_a


def test_the_hybrid_page_previews_exactly_the_merchant_fulfilled_sides(amazon, client_a, hybrid_catalogue):
    response = client_a.get(reverse("portal:hybrid_offers"))

    previewed = {plan.offer.sku: plan.offer.fulfillment_channel for plan in response.context["preview"]}
    assert previewed == {"ONE-SKU": "DEFAULT", "TWIN-MFN": "DEFAULT"}
    body = response.content.decode()
    assert 'data-sku="ONE-SKU"' in body and "B0TWIN0001" in body and 'data-sku="CLEAN"' not in body
    assert channels_on_amazon(amazon, "ONE-SKU") == {"AMAZON_NA", "DEFAULT"}  # previewing touched nothing


def test_confirming_removes_the_merchant_side_at_amazon_and_lists_the_removal(amazon, client_a, user_a, hybrid_catalogue):
    ids = list(Offer.objects.for_seller(hybrid_catalogue).hybrid().values_list("pk", flat=True))

    response = client_a.post(reverse("portal:hybrid_offers"), {"offer_ids": ids})

    assert response.status_code == 302
    assert channels_on_amazon(amazon, "ONE-SKU") == {"AMAZON_NA"}
    assert "TWIN-MFN" not in listings_on_amazon(amazon) and "TWIN-FBA" in listings_on_amazon(amazon)
    recorded = HybridRemoval.objects.for_seller(hybrid_catalogue)
    assert sorted(recorded.values_list("sku", "outcome", "requested_by")) == [
        ("ONE-SKU", "accepted", user_a.pk), ("TWIN-MFN", "accepted", user_a.pk)]
    page = client_a.get(response["Location"])
    assert [str(m) for m in page.context["messages"]] == ["A Amazon removeu 2 oferta(s) com envio pelo vendedor."]
    assert sorted(r.sku for r in page.context["removals"]) == ["ONE-SKU", "TWIN-MFN"]
    assert page.content.decode().count('class="removal"') == 2 and not page.context["offers"]


def test_a_removal_amazon_refuses_is_listed_as_failed_and_the_offer_stays(amazon, client_a, hybrid_catalogue):
    control(amazon, "POST", "faults", operation="deleteListingsItem", status=500, count=10)
    twin = Offer.objects.get(seller=hybrid_catalogue, sku="TWIN-MFN")

    response = client_a.post(reverse("portal:hybrid_offers"), {"offer_ids": [twin.pk]})

    [message] = client_a.get(response["Location"]).context["messages"]
    assert message.level_tag == "error" and "TWIN-MFN" in str(message)
    assert "TWIN-MFN" in listings_on_amazon(amazon) and Offer.objects.filter(pk=twin.pk, is_hybrid=True).exists()
    assert HybridRemoval.objects.get(sku="TWIN-MFN").outcome == HybridRemoval.Outcome.FAILED
