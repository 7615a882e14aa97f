"""REST API: token, scoping, resources, actions, filters and error bodies."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from orders.models import PreflightStatus
from tests.factories import ProductFactory

from tests.portal.conftest import NFE_PROC

PASSWORD = "senha-forte-123"


def token_client(username: str) -> APIClient:
    client = APIClient()
    token = client.post(reverse("api:token"), {"username": username, "password": PASSWORD}, format="json").json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def api_a(user_a):
    return token_client("alice")


def test_the_token_endpoint_returns_a_token_for_the_right_password(user_a):
    response = APIClient().post(reverse("api:token"), {"username": "alice", "password": PASSWORD}, format="json")
    assert response.status_code == 200 and len(response.json()["token"]) == 40


def test_a_wrong_password_answers_the_error_body(user_a):
    response = APIClient().post(reverse("api:token"), {"username": "alice", "password": "x"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_credentials"


def test_the_token_endpoint_is_locked_by_axes_after_five_failures(user_a):
    client = APIClient()
    for _ in range(5):
        client.post(reverse("api:token"), {"username": "alice", "password": "x"}, format="json")
    response = client.post(reverse("api:token"), {"username": "alice", "password": PASSWORD}, format="json")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "locked_out"


def test_the_api_root_lists_every_resource(api_a):
    assert set(api_a.get("/api/").json()) >= {
        "sellers", "products", "offers", "orders", "invoices", "credentials/certificates",
        "credentials/amazon-authorizations"}


def test_anonymous_requests_get_the_error_body():
    response = APIClient().get("/api/orders/")
    assert response.status_code == 401
    assert set(response.json()["error"]) == {"code", "message", "fields"}


def test_a_seller_token_sees_only_its_seller(api_a, world_a, seller_b):
    ProductFactory(seller=seller_b, sku="BETA-1")
    skus = [p["sku"] for p in api_a.get("/api/products/").json()["results"]]
    assert sorted(skus) == ["ALFA-SKU-1", "ALFA-SKU-2"]
    assert [s["id"] for s in api_a.get("/api/sellers/").json()["results"]] == [world_a["order"].seller_id]


def test_staff_act_across_sellers_and_narrow_with_the_seller_filter(staff, world_a, seller_b):
    ProductFactory(seller=seller_b, sku="BETA-1")
    client = token_client("staff")
    assert client.get("/api/products/").json()["count"] == 3
    assert [p["sku"] for p in client.get(f"/api/products/?seller={seller_b.pk}").json()["results"]] == ["BETA-1"]


def test_products_carry_their_fiscal_validation_and_the_incomplete_filter(api_a, world_a):
    results = api_a.get("/api/products/?fiscal_incomplete=true").json()["results"]
    assert [p["sku"] for p in results] == ["ALFA-SKU-2"]
    assert results[0]["fiscal_issues"][0]["code"] == "ncm_missing"


def test_patching_the_ncm_goes_through_preflight_and_releases_the_order(api_a, world_a):
    url = f"/api/products/{world_a['incomplete'].pk}/"
    response = api_a.patch(url, {"ncm": "85183000", "origin": 0, "tax_group": world_a["tax_group"].pk}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["fiscal_issues"] == []
    world_a["blocked"].refresh_from_db()
    assert world_a["blocked"].preflight_status == PreflightStatus.OK


def test_an_invalid_ncm_answers_field_errors(api_a, world_a):
    response = api_a.patch(f"/api/products/{world_a['incomplete'].pk}/", {"ncm": "12"}, format="json")
    assert response.status_code == 400
    assert "ncm" in response.json()["error"]["fields"]


def test_offers_show_the_hybrid_flag(api_a, world_a):
    assert api_a.get("/api/offers/?is_hybrid=true").json()["results"][0]["is_hybrid"] is True


def test_orders_carry_items_and_preflight_issues(api_a, world_a):
    order = api_a.get(f"/api/orders/{world_a['blocked'].pk}/").json()
    assert order["preflight_status"] == "blocked" and order["items"][0]["sku"] == "ALFA-SKU-2"


def test_preflight_action_reruns_the_check(api_a, world_a):
    response = api_a.post(f"/api/orders/{world_a['blocked'].pk}/preflight/")
    assert response.status_code == 200
    assert response.json()["preflight_issues"][0]["code"] == "ncm_missing"


def test_invoices_show_sefaz_and_amazon_states_and_download_the_xml(api_a, world_a):
    invoice = api_a.get(f"/api/invoices/{world_a['invoice'].pk}/").json()
    assert (invoice["cstat"], invoice["amazon_status"]) == ("100", "accepted")
    assert api_a.get(f"/api/invoices/{world_a['invoice'].pk}/xml/").content == NFE_PROC


def test_resend_of_an_accepted_invoice_has_nothing_to_do(api_a, world_a):
    response = api_a.post(f"/api/invoices/{world_a['invoice'].pk}/resend/")
    assert response.json() == {"resent": False}


def test_credentials_show_expiry_and_never_secrets(api_a, world_a):
    cert = api_a.get("/api/credentials/certificates/").json()["results"][0]
    auth = api_a.get("/api/credentials/amazon-authorizations/").json()["results"][0]
    assert cert["days_left"] > 300 and auth["days_left"] > 300
    body = str(cert) + str(auth)
    assert "pfx" not in cert and "password" not in cert and "refresh_token" not in auth and "Atzr" not in body


def test_a_viewer_token_cannot_patch(seller_a, world_a):
    from sellers.models import SellerUser
    from tests.factories import SellerUserFactory

    SellerUserFactory(seller=seller_a, role=SellerUser.Role.VIEWER, user__username="vera")
    response = token_client("vera").patch(f"/api/products/{world_a['incomplete'].pk}/", {"ncm": "85183000"}, format="json")
    assert response.status_code == 403


def test_the_schema_and_docs_are_served(api_a):
    assert APIClient().get("/api/schema/").status_code == 200
    docs = APIClient().get("/api/docs/").content.decode()
    assert "/api/invoices/{id}/resend/" in docs


def test_a_date_filter_with_an_exotic_offset_is_answered_not_a_server_error(api_a, world_a):
    """Found by the fuzz run: PostgreSQL refuses offsets beyond ±15 h, so the filter converts to UTC first."""
    response = api_a.get("/api/orders/", {"purchased_after": "0291-02-28T21:06:08+22:43"})
    assert response.status_code == 200 and response.json()["count"] == 2


def test_a_date_before_year_one_in_utc_is_a_400(api_a, world_a):
    response = api_a.get("/api/orders/", {"purchased_after": "0001-01-01T00:00:00+14:00"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid"
