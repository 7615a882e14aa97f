"""A third-party client, python-amazon-sp-api (saleweaver), works against the sandbox unchanged.

Only two things are redirected, both through the library's public surface: the LWA host via
`auth_token_client_class` (a subclass of its AccessTokenClient with another scheme/host) and
the SP-API endpoint via the client's `endpoint` attribute.
"""

import jsonschema
import pytest
from sp_api.api import Orders, Sellers, ShipmentInvoicing, Tokens
from sp_api.auth import AccessTokenClient
from sp_api.auth import access_token_client as lwa_module
from sp_api.base import Marketplaces

from sandboxes.amazon import modelspec
from tests.sandboxes.conftest_amazon import ORDER_SP, SHIPMENT_SP, amazon  # noqa: F401 - fixture

ORDERS = "orders_2026-01-01.json"


@pytest.fixture
def client_kwargs(amazon):
    lwa_module.cache.clear()  # the library caches tokens per refresh token, process-wide
    creds = amazon.credentials()
    sandbox_lwa = type("SandboxLwa", (AccessTokenClient,), {"scheme": "http://", "host": amazon.url.split("://")[1]})
    return {
        "marketplace": Marketplaces.BR,
        "refresh_token": creds["refresh_token"],
        "credentials": {"lwa_app_id": creds["client_id"], "lwa_client_secret": creds["client_secret"]},
        "auth_token_client_class": sandbox_lwa,
    }


def pointed_at(client, amazon):
    client.endpoint = amazon.url
    return client


def assert_valid(payload: dict, model: str, operation_id: str) -> None:
    schema = modelspec.response_schema(modelspec.operation(model, operation_id), 200)
    jsonschema.Draft4Validator(schema).validate(payload)


def test_saleweaver_reads_marketplace_participations(amazon, client_kwargs):
    response = pointed_at(Sellers(**client_kwargs), amazon).get_marketplace_participation()
    assert response.payload[0]["marketplace"]["id"] == Marketplaces.BR.marketplace_id
    assert_valid({"payload": response.payload}, "sellers.json", "getMarketplaceParticipations")


def test_saleweaver_searches_and_reads_orders_with_the_2026_api(amazon, client_kwargs):
    orders = pointed_at(Orders(version="2026-01-01", **client_kwargs), amazon)
    found = orders.search_orders(createdAfter="2026-01-01T00:00:00Z", marketplaceIds=[Marketplaces.BR.marketplace_id],
                                 includedData=["TAX", "RECIPIENT"])
    body = found.payload
    assert_valid(body, ORDERS, "searchOrders")
    assert ORDER_SP in [o["orderId"] for o in body["orders"]]
    one = orders.get_order(ORDER_SP, includedData=["TAX", "PAYMENT", "RECIPIENT"]).payload
    assert_valid(one, ORDERS, "getOrder")
    assert one["order"]["payment"]["paymentExecutions"][0]["cardBrand"] == "Visa"


def test_saleweaver_reads_shipment_details_with_a_restricted_data_token(amazon, client_kwargs):
    path = f"/fba/outbound/brazil/v0/shipments/{SHIPMENT_SP}"
    tokens = pointed_at(Tokens(**client_kwargs), amazon)
    rdt = tokens.create_restricted_data_token(restrictedResources=[{"method": "GET", "path": path}]).payload
    invoicing = pointed_at(ShipmentInvoicing(restricted_data_token=rdt["restrictedDataToken"], **client_kwargs), amazon)
    details = invoicing.get_shipment_details(SHIPMENT_SP).payload
    assert details["AmazonShipmentId"] == SHIPMENT_SP
    assert_valid({"payload": details}, "shipmentInvoicingV0.json", "getShipmentDetails")
