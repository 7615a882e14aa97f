"""The sandbox's listings, reports and product types, with plain `requests` and the official models."""

import copy
import gzip
import time

import jsonschema
import pytest
import requests

from sandboxes.amazon import modelspec

from .conftest import SELLER_SP, channels_on_amazon, control, put_listing

BR = "A2Q3Y263D00KWC"
LISTINGS = "listingsItems_2021-08-01.json"
ITEM = f"/listings/2021-08-01/items/{SELLER_SP}"


@pytest.fixture
def token(amazon):
    creds = amazon.credentials()
    form = {"grant_type": "refresh_token", "refresh_token": creds["refresh_token"], "client_id": creds["client_id"],
            "client_secret": creds["client_secret"]}
    return requests.post(amazon.lwa_token_url, data=form, timeout=5).json()["access_token"]


def call(amazon, token, method, path, **kwargs):
    return requests.request(method, amazon.url + path, headers={"x-amz-access-token": token}, timeout=30, **kwargs)


def valid(response, model, operation):
    schema = modelspec.response_schema(modelspec.operation(model, operation), response.status_code)
    jsonschema.Draft4Validator(schema).validate(response.json())


def test_get_listings_item_answers_as_the_model_says(amazon, token):
    put_listing(amazon, "A-1", asin="B0A0000001", price=10.5, channels={"AMAZON_NA": None, "DEFAULT": 2})

    response = call(amazon, token, "GET", f"{ITEM}/A-1", params={
        "marketplaceIds": BR, "includedData": "summaries,offers,fulfillmentAvailability,issues,attributes"})

    assert response.status_code == 200
    valid(response, LISTINGS, "getListingsItem")
    assert response.json()["offers"][0]["price"] == {"currencyCode": "BRL", "amount": "10.50"}


def test_a_missing_sku_is_a_model_shaped_404(amazon, token):
    response = call(amazon, token, "GET", f"{ITEM}/NOPE", params={"marketplaceIds": BR})

    assert response.status_code == 404
    valid(response, LISTINGS, "getListingsItem")


def test_validation_preview_returns_issues_and_changes_nothing(amazon, token):
    body = {"productType": "HOME", "requirements": "LISTING_OFFER_ONLY", "attributes": {
        "merchant_suggested_asin": [{"value": "B0A0000002", "marketplace_id": BR}]}}

    response = call(amazon, token, "PUT", f"{ITEM}/A-2", params={"marketplaceIds": BR, "mode": "VALIDATION_PREVIEW"},
                    json=body)

    valid(response, LISTINGS, "putListingsItem")
    assert response.json()["status"] == "INVALID"
    assert {i["attributeNames"][0] for i in response.json()["issues"]} == {
        "condition_type", "purchasable_offer", "fulfillment_availability"}
    assert channels_on_amazon(amazon, "A-2") == set()


def test_a_quantity_sent_for_an_fba_onsite_sku_creates_the_merchant_twin(amazon, token):
    """What Amazon does, and the reason our client refuses to do it (tests/listings/test_offers.py)."""
    put_listing(amazon, "FBAOS-1", asin="B0A0000003", price=10, channels={"AMAZON_NA": None})
    patch = {"productType": "HOME", "patches": [{"op": "replace", "path": "/attributes/fulfillment_availability",
                                                 "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": 5}]}]}

    response = call(amazon, token, "PATCH", f"{ITEM}/FBAOS-1", params={"marketplaceIds": BR}, json=patch)

    valid(response, LISTINGS, "patchListingsItem")
    assert channels_on_amazon(amazon, "FBAOS-1") == {"AMAZON_NA", "DEFAULT"}


def test_search_stops_at_1000_skus(amazon, token):
    control(amazon, "POST", f"listings/{SELLER_SP}/generate", count=1100, hybridEvery=0, twinEvery=0)
    seen, page_token = 0, None
    while True:
        params = {"marketplaceIds": BR, "pageSize": 20, **({"pageToken": page_token} if page_token else {})}
        response = call(amazon, token, "GET", ITEM, params=params)
        assert response.status_code == 200, response.text
        seen += len(response.json()["items"])
        page_token = response.json().get("pagination", {}).get("nextToken")
        if not page_token:
            break
    valid(response, LISTINGS, "searchListingsItems")
    assert seen == 1000


def test_the_report_goes_queue_progress_done_and_serves_a_gzipped_tsv(amazon, token):
    put_listing(amazon, "A-4", asin="B0A0000004", price=10, channels={"AMAZON_NA": None, "DEFAULT": 1})
    created = call(amazon, token, "POST", "/reports/2021-06-30/reports",
                   json={"reportType": "GET_MERCHANT_LISTINGS_ALL_DATA", "marketplaceIds": [BR]})
    valid(created, "reports_2021-06-30.json", "createReport")
    statuses = []
    while not statuses or statuses[-1] != "DONE":
        report = call(amazon, token, "GET", f"/reports/2021-06-30/reports/{created.json()['reportId']}")
        valid(report, "reports_2021-06-30.json", "getReport")
        statuses.append(report.json()["processingStatus"])
        time.sleep(0.05)
    document = call(amazon, token, "GET", f"/reports/2021-06-30/documents/{report.json()['reportDocumentId']}")
    valid(document, "reports_2021-06-30.json", "getReportDocument")
    lines = gzip.decompress(requests.get(document.json()["url"], timeout=5).content).decode().splitlines()

    assert statuses[0] == "IN_QUEUE" and "IN_PROGRESS" in statuses
    assert [line.split("\t")[26] for line in lines] == ["fulfillment-channel", "AMAZON_NA", "DEFAULT"]


def test_product_type_definition_lists_the_required_attributes(amazon, token):
    response = call(amazon, token, "GET", "/definitions/2020-09-01/productTypes/KITCHEN",
                    params={"marketplaceIds": BR, "requirements": "LISTING_OFFER_ONLY"})

    valid(response, "definitionsProductTypes_2020-09-01.json", "getDefinitionsProductType")
    schema = requests.get(response.json()["schema"]["link"]["resource"], timeout=5).json()
    assert "supplier_declared_dg_hz_regulation" in schema["required"]


def test_the_status_change_notification_matches_the_official_schema(amazon):
    put_listing(amazon, "A-5", asin="B0A0000005", price=10, channels={"AMAZON_NA": None})
    message = control(amazon, "POST", f"listings/{SELLER_SP}/A-5/publish")
    schema = copy.deepcopy(modelspec.notification_schema("ListingsItemStatusChangeNotification.json"))
    # The model's enum says LISTINGS_ITEM_STATUS_CHANGED; its own example and the subscription type use _CHANGE.
    schema["properties"]["NotificationType"]["enum"].append("LISTINGS_ITEM_STATUS_CHANGE")

    jsonschema.Draft7Validator(schema).validate(message)
    assert message["Payload"]["Status"] == ["BUYABLE", "DISCOVERABLE"]


def test_listings_calls_are_throttled_with_the_models_burst(amazon, token):
    put_listing(amazon, "A-6", asin="B0A0000006", price=10, channels={"AMAZON_NA": None})
    control(amazon, "POST", "settings", rateScale=0.001)

    codes = [call(amazon, token, "GET", f"{ITEM}/A-6", params={"marketplaceIds": BR}).status_code for _ in range(11)]

    assert codes.count(200) == 10 and codes[-1] == 429
