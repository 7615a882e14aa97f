"""The Amazon sandbox on a free port with our settings pointed at it, and seller A1SIMPLESSPDEMO authorized."""

import pytest
import requests
from django.test import override_settings

from sandboxes.amazon.server import start_sandbox
from sellers.encryption import secret
from tests.factories import AmazonAuthorizationFactory, SellerFactory

SELLER_SP = "A1SIMPLESSPDEMO"


@pytest.fixture
def amazon(tmp_path, db):
    handle = start_sandbox(None, tmp_path / "amazon.sqlite3", rate_scale=1000, publish_on_start=False)
    creds = handle.credentials()
    with override_settings(
        LWA_TOKEN_URL=creds["lwa_token_url"], SP_API_BASE_URL=creds["sp_api_base_url"],
        LWA_CLIENT_ID=creds["client_id"], LWA_CLIENT_SECRET=creds["client_secret"],
        SP_API_BACKOFF_BASE=0.01, SP_API_BACKOFF_CAP=0.05, SP_API_MAX_THROTTLE_WAIT=5, LISTINGS_REPORT_POLL_SECONDS=0.1,
    ):
        control(handle, "POST", "listings/settings", reportDelaySeconds=0.3)
        yield handle
    handle.stop()


@pytest.fixture
def seller(amazon):
    token = amazon.sandbox.scenario["sellers"][SELLER_SP]["refreshTokens"][0]
    return AmazonAuthorizationFactory(seller=SellerFactory(), selling_partner_id=SELLER_SP,
                                      refresh_token=secret(token)).seller


def control(handle, method: str, path: str, **body):
    response = requests.request(method, f"{handle.url}/_sandbox/{path}", json=body, timeout=60)
    assert response.status_code < 300, response.text
    return response.json()


def put_listing(handle, sku: str, **entry) -> dict:
    return control(handle, "PUT", f"listings/{SELLER_SP}/{sku}", **entry)


def listings_on_amazon(handle) -> dict[str, dict]:
    return {b["sku"]: b for b in control(handle, "GET", f"listings/{SELLER_SP}")["listings"]}


def channels_on_amazon(handle, sku: str) -> set[str]:
    body = listings_on_amazon(handle).get(sku)
    return {c["fulfillment_channel_code"] for c in body["attributes"]["fulfillment_availability"]} if body else set()
