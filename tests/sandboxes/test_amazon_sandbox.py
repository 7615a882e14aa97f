"""The local Amazon sandbox speaks LWA and SP-API as the official models describe, and is strict."""

import json
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import jsonschema
import requests

from sandboxes.amazon import modelspec
from sandboxes.amazon.server import start_sandbox
from tests.sandboxes.conftest_amazon import (  # noqa: F401 - fixtures
    MARKETPLACE_CNPJ, ORDER_MG, ORDER_SP, SELLER_MG, SELLER_SP, SHIPMENT_SP,
    access_token, amazon, assert_model_valid, assert_notification_valid, call, control, invoice_body,
    moto_sqs, nfe_proc, rdt_for, refresh, seller_token, sqs_client,
)

ORDERS = "orders_2026-01-01.json"
V0 = "shipmentInvoicingV0.json"
DELIVERY = "deliveryShipmentInvoiceV2022-07-01.json"
SEARCH = "/orders/2026-01-01/orders"
SHIPMENT_PATH = f"/fba/outbound/brazil/v0/shipments/{SHIPMENT_SP}"
LONG_AGO = "2026-01-01T00:00:00Z"
ROOT = Path(__file__).resolve().parents[2]


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def wait_for_status(amazon, token, wanted: str, timeout: float = 5.0) -> str:
    deadline = time.monotonic() + timeout
    status = None
    while time.monotonic() < deadline:
        response = call(amazon, "GET", f"{SHIPMENT_PATH}/invoice/status", token)
        status = response.json()["payload"]["Shipments"]["InvoiceStatus"]
        if status == wanted:
            assert_model_valid(response, V0, "getInvoiceStatus")
            return status
        time.sleep(0.1)
    return status


# --- Login with Amazon ---

def test_a_refresh_token_buys_an_hour_long_bearer_access_token(amazon):
    response = refresh(amazon)
    body = response.json()
    assert response.status_code == 200
    assert body["access_token"].startswith("Atza|")
    assert body["token_type"] == "bearer" and body["expires_in"] == 3600
    assert body["refresh_token"] == amazon.credentials()["refresh_token"]


def test_a_revoked_refresh_token_gets_invalid_grant(amazon):
    assert control(amazon, "POST", "refresh-tokens/revoke", {"sellingPartnerId": SELLER_SP}).json()["revoked"] == 1
    response = refresh(amazon)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert "error_description" in response.json()


def test_a_wrong_client_secret_gets_invalid_client_with_401(amazon):
    response = refresh(amazon, client_secret="not-the-secret")
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_an_unknown_grant_type_is_unsupported(amazon):
    response = refresh(amazon, grant_type="password")
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


def test_the_consent_page_redirects_with_a_code_that_exchanges_once_for_a_refresh_token(amazon):
    app = amazon.sandbox.scenario["application"]
    redirect = app["redirect_uris"][0]
    query = {"application_id": app["application_id"], "state": "xyz-42", "redirect_uri": redirect, "version": "beta"}
    page = requests.get(f"{amazon.url}/apps/authorize/consent", params=query, timeout=5)
    assert page.status_code == 200 and "Authorize" in page.text and SELLER_MG in page.text
    answer = requests.post(f"{amazon.url}/apps/authorize/consent", data={**query, "selling_partner_id": SELLER_MG},
                           allow_redirects=False, timeout=5)
    assert answer.status_code == 302
    location = requests.utils.urlparse(answer.headers["Location"])
    params = dict(p.split("=", 1) for p in location.query.split("&"))
    assert params["state"] == "xyz-42" and params["selling_partner_id"] == SELLER_MG
    form = {"grant_type": "authorization_code", "code": params["spapi_oauth_code"], "redirect_uri": redirect,
            "client_id": app["client_id"], "client_secret": app["client_secret"]}
    first = requests.post(amazon.lwa_token_url, data=form, timeout=5)
    assert first.status_code == 200 and first.json()["refresh_token"].startswith("Atzr|")
    again = requests.post(amazon.lwa_token_url, data=form, timeout=5)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    token = access_token(amazon, first.json()["refresh_token"])
    participations = call(amazon, "GET", "/sellers/v1/marketplaceParticipations", token)
    assert participations.json()["payload"][0]["storeName"] == "Mineira Casa e Cozinha"


def test_an_authorization_code_older_than_five_minutes_is_an_invalid_grant(amazon):
    app = amazon.sandbox.scenario["application"]
    code = control(amazon, "POST", "auth-codes", {"sellingPartnerId": SELLER_SP}).json()["spapi_oauth_code"]
    control(amazon, "POST", "tokens/expire", {"kinds": ["code"]})
    form = {"grant_type": "authorization_code", "code": code, "client_id": app["client_id"],
            "client_secret": app["client_secret"]}
    response = requests.post(amazon.lwa_token_url, data=form, timeout=5)
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


# --- access to SP-API ---

def test_a_call_without_an_access_token_is_denied_with_403(amazon):
    response = call(amazon, "GET", "/sellers/v1/marketplaceParticipations", None)
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "Unauthorized"
    assert response.json()["errors"][0]["message"] == "Access to requested resource is denied."
    assert response.headers["x-amzn-RequestId"]


def test_an_expired_access_token_is_denied_with_403(amazon):
    token = access_token(amazon)
    control(amazon, "POST", "tokens/expire", {})
    response = call(amazon, "GET", "/sellers/v1/marketplaceParticipations", token)
    assert response.status_code == 403
    assert "expired" in response.json()["errors"][0]["details"]


def test_marketplace_participations_answer_with_request_id_and_rate_limit_headers(amazon):
    response = call(amazon, "GET", "/sellers/v1/marketplaceParticipations", access_token(amazon))
    assert response.status_code == 200
    assert response.headers["x-amzn-RequestId"] and response.headers["x-amzn-RateLimit-Limit"] == "16"
    assert_model_valid(response, "sellers.json", "getMarketplaceParticipations")
    assert response.json()["payload"][0]["marketplace"]["id"] == "A2Q3Y263D00KWC"


# --- Orders v2026-01-01 ---

def test_search_orders_pages_through_a_sellers_orders_with_next_tokens(amazon):
    token = access_token(amazon)
    seen, params = [], {"createdAfter": LONG_AGO, "maxResultsPerPage": 2, "marketplaceIds": "A2Q3Y263D00KWC"}
    while True:
        response = call(amazon, "GET", SEARCH, token, params=params)
        assert response.status_code == 200, response.text
        assert_model_valid(response, ORDERS, "searchOrders")
        seen += [o["orderId"] for o in response.json()["orders"]]
        next_token = response.json().get("pagination", {}).get("nextToken")
        if not next_token:
            break
        params = {**params, "paginationToken": next_token}
    assert len(seen) == 4 == len(set(seen))  # the SP seller's four orders, none of the MG seller's
    assert ORDER_MG not in seen


def test_an_order_updated_while_paginating_is_left_for_the_next_sweep(amazon):
    token = access_token(amazon)
    before = iso(datetime.now(timezone.utc) - timedelta(minutes=3))
    params = {"lastUpdatedAfter": LONG_AGO, "lastUpdatedBefore": before, "maxResultsPerPage": 2}
    first = call(amazon, "GET", SEARCH, token, params=params).json()
    later_order = "702-4100004-5300028"
    control(amazon, "PATCH", f"orders/{later_order}", {"buyer": {"buyerName": "Daniela M. Rocha"}})
    second = call(amazon, "GET", SEARCH, token, params={**params, "paginationToken": first["pagination"]["nextToken"]})
    ids = [o["orderId"] for o in first["orders"] + second.json()["orders"]]
    assert later_order not in ids and len(ids) == 3
    assert second.json()["lastUpdatedBefore"] == before
    fresh = call(amazon, "GET", SEARCH, token, params={"lastUpdatedAfter": before})
    assert fresh.json()["orders"] == []  # updated less than two minutes ago: not yet visible


def test_search_orders_filters_by_the_created_window(amazon):
    token = access_token(amazon)
    since = iso(datetime.now(timezone.utc) - timedelta(days=2, hours=1))
    response = call(amazon, "GET", SEARCH, token, params={"createdAfter": since})
    assert [o["orderId"] for o in response.json()["orders"]] == ["702-4100003-5300021", "702-4100004-5300028"]
    assert "createdBefore" in response.json()


def test_a_last_updated_before_less_than_two_minutes_ago_is_rejected_with_400(amazon):
    recent = iso(datetime.now(timezone.utc) - timedelta(seconds=30))
    response = call(amazon, "GET", SEARCH, access_token(amazon),
                    params={"lastUpdatedAfter": LONG_AGO, "lastUpdatedBefore": recent})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "InvalidInput"
    assert_model_valid(response, ORDERS, "searchOrders")


def test_search_orders_needs_exactly_one_of_created_after_and_last_updated_after(amazon):
    token = access_token(amazon)
    neither = call(amazon, "GET", SEARCH, token, params={"maxResultsPerPage": 5})
    both = call(amazon, "GET", SEARCH, token, params={"createdAfter": LONG_AGO, "lastUpdatedAfter": LONG_AGO})
    bad_size = call(amazon, "GET", SEARCH, token, params={"createdAfter": LONG_AGO, "maxResultsPerPage": 101})
    assert neither.status_code == both.status_code == bad_size.status_code == 400


def test_get_order_returns_brazilian_tax_address_and_payment_data_only_when_included(amazon):
    token = access_token(amazon)
    bare = call(amazon, "GET", f"/orders/2026-01-01/orders/{ORDER_SP}", token).json()["order"]
    assert "tax" not in bare and "recipient" not in bare and "payment" not in bare
    response = call(amazon, "GET", f"/orders/2026-01-01/orders/{ORDER_SP}", token,
                    params={"includedData": "RECIPIENT,TAX,PAYMENT,PROCEEDS,BUYER"})
    assert response.status_code == 200
    assert_model_valid(response, ORDERS, "getOrder")
    order = response.json()["order"]
    registrations = {r["entityType"]: r for r in order["tax"]["taxRegistrations"]}
    assert registrations["BUYER"]["taxRegistrationType"] == "CPF"
    assert registrations["MARKETPLACE"]["taxRegistrationNumber"] == MARKETPLACE_CNPJ
    assert order["recipient"]["deliveryAddress"]["extendedFields"]["neighborhood"] == "Jardim Paulista"
    assert order["payment"]["paymentExecutions"][0]["acquirerId"] == "01027058000191"
    assert order["tax"]["taxInvoicing"]["invoiceStatus"] == "NOT_FOUND"


def test_get_order_hides_another_sellers_order_and_rejects_malformed_ids(amazon):
    token = access_token(amazon)
    other = call(amazon, "GET", f"/orders/2026-01-01/orders/{ORDER_MG}", token)
    malformed = call(amazon, "GET", "/orders/2026-01-01/orders/not-an-order", token)
    unknown_dataset = call(amazon, "GET", f"/orders/2026-01-01/orders/{ORDER_SP}", token, params={"includedData": "PII"})
    assert other.status_code == 404 and malformed.status_code == 400 and unknown_dataset.status_code == 400
    assert_model_valid(other, ORDERS, "getOrder")


# --- Restricted Data Tokens and shipment details ---

def test_get_shipment_details_requires_a_restricted_data_token_for_that_path(amazon):
    token = access_token(amazon)
    assert call(amazon, "GET", SHIPMENT_PATH, token).status_code == 403
    wrong_scope = rdt_for(amazon, token, "/fba/outbound/brazil/v0/shipments/D02FBAOSSP")
    assert call(amazon, "GET", SHIPMENT_PATH, wrong_scope).status_code == 403
    rdt = rdt_for(amazon, token, "/fba/outbound/brazil/v0/shipments/{shipmentId}")
    assert rdt.startswith("Atz.sprdt|")
    response = call(amazon, "GET", SHIPMENT_PATH, rdt)
    assert response.status_code == 200
    assert_model_valid(response, V0, "getShipmentDetails")
    assert response.json()["payload"]["AmazonOrderId"] == ORDER_SP


def test_a_restricted_data_token_cannot_be_asked_for_an_unrestricted_path(amazon):
    response = call(amazon, "POST", "/tokens/2021-03-01/restrictedDataToken", access_token(amazon),
                    json={"restrictedResources": [{"method": "GET", "path": "/sellers/v1/marketplaceParticipations"}]})
    assert response.status_code == 400


# --- invoice upload ---

def test_an_invoice_whose_md5_does_not_match_is_rejected_with_400(amazon):
    body = invoice_body(nfe_proc(ORDER_SP), md5="1B2M2Y8AsgTpgAmY7PhCfg==")
    response = call(amazon, "POST", f"{SHIPMENT_PATH}/invoice", access_token(amazon), json=body)
    assert response.status_code == 400
    assert "MD5" in response.json()["errors"][0]["details"]
    assert_model_valid(response, V0, "submitInvoice")


def test_xml_that_is_not_an_authorised_nfe_for_the_order_is_rejected_with_400(amazon):
    token = access_token(amazon)
    cases = {
        "not authorised": nfe_proc(ORDER_SP, cstat="204"),
        "another order": nfe_proc("702-0000000-0000000"),
        "not nfeProc": b"<NFe xmlns='http://www.portalfiscal.inf.br/nfe'/>",
    }
    for label, xml in cases.items():
        response = call(amazon, "POST", f"{SHIPMENT_PATH}/invoice", token, json=invoice_body(xml))
        assert response.status_code == 400, label
    assert control(amazon, "GET", "invoices").json()["invoices"] == []


def test_an_authorised_invoice_is_processing_then_accepted(amazon):
    token = access_token(amazon)
    before = call(amazon, "GET", f"{SHIPMENT_PATH}/invoice/status", token)
    assert before.json()["payload"]["Shipments"]["InvoiceStatus"] == "NotFound"
    submitted = call(amazon, "POST", f"{SHIPMENT_PATH}/invoice", token, json=invoice_body(nfe_proc(ORDER_SP)))
    assert submitted.status_code == 200 and submitted.json() == {}
    assert_model_valid(submitted, V0, "submitInvoice")
    status = call(amazon, "GET", f"{SHIPMENT_PATH}/invoice/status", token).json()
    assert status["payload"]["Shipments"]["InvoiceStatus"] == "Processing"
    assert wait_for_status(amazon, token, "Accepted") == "Accepted"
    order = call(amazon, "GET", f"/orders/2026-01-01/orders/{ORDER_SP}", token, params={"includedData": "TAX"})
    assert order.json()["order"]["tax"]["taxInvoicing"]["invoiceStatus"] == "ACCEPTED"
    listed = control(amazon, "GET", f"invoices?shipmentId={SHIPMENT_SP}").json()["invoices"]
    assert listed[0]["status"] == "Accepted" and listed[0]["submissionsForShipment"] == 1 and listed[0]["md5"]


def test_an_invoice_reference_in_inf_cpl_is_accepted_too(amazon):
    xml = nfe_proc(ORDER_SP, reference_in="infCpl")
    response = call(amazon, "POST", f"{SHIPMENT_PATH}/invoice", access_token(amazon), json=invoice_body(xml))
    assert response.status_code == 200


def test_a_wrong_marketplace_cnpj_in_inf_intermed_ends_errored(amazon):
    token = access_token(amazon)
    xml = nfe_proc(ORDER_SP, intermediary_cnpj="11222333000181")
    assert call(amazon, "POST", f"{SHIPMENT_PATH}/invoice", token, json=invoice_body(xml)).status_code == 200
    assert wait_for_status(amazon, token, "Errored") == "Errored"
    reason = control(amazon, "GET", "invoices").json()["invoices"][0]["reason"]
    assert "infIntermed" in reason


def test_the_control_api_forces_an_invoice_to_errored_with_a_reason(amazon):
    token = access_token(amazon)
    control(amazon, "POST", f"shipments/{SHIPMENT_SP}/invoice-error", {"reason": "Rejeicao: NCM inexistente"})
    call(amazon, "POST", f"{SHIPMENT_PATH}/invoice", token, json=invoice_body(nfe_proc(ORDER_SP)))
    assert wait_for_status(amazon, token, "Errored") == "Errored"
    assert control(amazon, "GET", "invoices").json()["invoices"][0]["reason"] == "Rejeicao: NCM inexistente"


def test_delivery_invoicing_takes_an_fba_onsite_invoice_by_order_id(amazon):
    token = access_token(amazon)
    xml = nfe_proc(ORDER_SP)
    plain = invoice_body(xml)
    body = {"invoiceContent": plain["InvoiceContent"], "contentMD5Value": plain["ContentMD5Value"],
            "invoiceType": "Outbound", "programType": "FbaOnSite", "marketplaceId": "A2Q3Y263D00KWC"}
    wrong_program = call(amazon, "POST", "/delivery/2022-07-01/invoice", token, params={"orderId": ORDER_SP},
                         json={**body, "programType": "EasyShip"})
    assert wrong_program.status_code == 400
    response = call(amazon, "POST", "/delivery/2022-07-01/invoice", token, params={"orderId": ORDER_SP}, json=body)
    assert response.status_code == 200, response.text
    assert_model_valid(response, DELIVERY, "submitInvoice")
    query = {"orderId": ORDER_SP, "marketplaceId": "A2Q3Y263D00KWC", "invoiceType": "Outbound", "programType": "FbaOnSite"}
    status = call(amazon, "GET", "/delivery/2022-07-01/invoice/status", token, params=query)
    assert_model_valid(status, DELIVERY, "getInvoiceStatus")
    assert status.json() == {"amazonOrderId": ORDER_SP, "amazonShipmentId": SHIPMENT_SP, "invoiceStatus": "Processing"}


# --- rate limits and faults ---

def test_an_empty_bucket_answers_429_quota_exceeded_and_refills(tmp_path):
    handle = start_sandbox(None, tmp_path / "rl.sqlite3", rate_scale=10, publish_on_start=False)
    try:
        token = access_token(handle)
        path = f"/orders/2026-01-01/orders/{ORDER_SP}"
        responses = []
        while len(responses) < 300 and (not responses or responses[-1].status_code != 429):
            responses.append(call(handle, "GET", path, token))
        throttled = responses[-1]
        assert throttled.status_code == 429
        assert len(responses) > 30  # the burst of 30 went through first
        assert throttled.json()["errors"][0]["code"] == "QuotaExceeded"
        assert_model_valid(throttled, ORDERS, "getOrder")
        time.sleep(1 / (0.5 * 10) + 0.1)  # one token at 0.5 req/s x 10
        assert call(handle, "GET", path, token).status_code == 200
        other_seller = call(handle, "GET", f"/orders/2026-01-01/orders/{ORDER_MG}", seller_token(handle, SELLER_MG))
        assert other_seller.status_code == 200  # buckets are per selling partner
    finally:
        handle.stop()


def test_injected_faults_answer_5xx_then_the_service_recovers(amazon):
    token = access_token(amazon)
    control(amazon, "POST", "faults", {"operation": "searchOrders", "status": 503, "count": 2})
    codes = [call(amazon, "GET", SEARCH, token, params={"createdAfter": LONG_AGO}).status_code for _ in range(3)]
    assert codes == [503, 503, 200]
    control(amazon, "POST", "faults", {"operation": "*", "status": 500, "count": 1})
    failed = call(amazon, "GET", "/sellers/v1/marketplaceParticipations", token)
    assert failed.status_code == 500 and failed.json()["errors"][0]["code"] == "InternalFailure"
    assert_model_valid(failed, "sellers.json", "getMarketplaceParticipations")


def test_a_slow_answer_fault_delays_the_call(amazon):
    token = access_token(amazon)
    control(amazon, "POST", "faults", {"operation": "getMarketplaceParticipations", "delaySeconds": 0.5})
    started = time.monotonic()
    assert call(amazon, "GET", "/sellers/v1/marketplaceParticipations", token).status_code == 200
    assert time.monotonic() - started >= 0.5


# --- notifications ---

def test_notifications_reach_the_sqs_queue_in_the_official_shapes(tmp_path, moto_sqs):
    queue_url = sqs_client(moto_sqs).create_queue(QueueName="sp-api-notifications")["QueueUrl"]
    handle = start_sandbox(None, tmp_path / "n.sqlite3", sqs_endpoint=moto_sqs, sqs_queue_url=queue_url)
    try:
        messages = drain(moto_sqs, queue_url)
        types = [m["NotificationType"] for m in messages]
        assert types.count("ORDER_CHANGE") == 8 and types.count("FBA_OUTBOUND_SHIPMENT_STATUS") == 8
        for message in messages:
            assert_notification_valid(message)
        published = control(handle, "POST", f"shipments/{SHIPMENT_SP}/publish").json()
        notification_id = published["NotificationMetadata"]["NotificationId"]
        control(handle, "POST", f"notifications/{notification_id}/duplicate")
        again = drain(moto_sqs, queue_url)
        assert [m["NotificationMetadata"]["NotificationId"] for m in again] == [notification_id] * 2
        shipment = again[0]["Payload"]["FBAOutboundShipmentStatusNotification"]
        assert shipment == {"SellerId": SELLER_SP, "AmazonOrderId": ORDER_SP, "AmazonShipmentId": SHIPMENT_SP,
                            "ShipmentStatus": "Created"}
    finally:
        handle.stop()


def drain(endpoint: str, queue_url: str) -> list[dict]:
    client, found = sqs_client(endpoint), []
    while batch := client.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", []):
        found += [json.loads(m["Body"]) for m in batch]
        client.delete_message_batch(QueueUrl=queue_url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(batch)])
    return found


def test_an_order_added_through_control_is_announced_and_searchable(amazon):
    order = {"orderId": "702-9999999-0000001", "createdTime": "now-1h", "programs": ["DELIVERY_BY_AMAZON"],
             "salesChannel": {"channelName": "AMAZON", "marketplaceId": "A2Q3Y263D00KWC"},
             "fulfillment": {"fulfillmentStatus": "UNSHIPPED", "fulfilledBy": "AMAZON"},
             "orderItems": [{"orderItemId": "1", "quantityOrdered": 1, "product": {"sellerSku": "SKU-A-002"}}]}
    created = control(amazon, "POST", "orders", {"sellingPartnerId": SELLER_SP, "order": order})
    assert created.status_code == 201 and len(created.json()["notifications"]) == 1
    sent = control(amazon, "GET", "notifications").json()["notifications"][-1]["body"]
    assert_notification_valid(sent)
    found = call(amazon, "GET", SEARCH, access_token(amazon),
                 params={"createdAfter": iso(datetime.now(timezone.utc) - timedelta(hours=2))})
    assert "702-9999999-0000001" in [o["orderId"] for o in found.json()["orders"]]


# --- static mode and command line ---

def test_static_mode_answers_the_models_static_sandbox_cases(tmp_path):
    handle = start_sandbox(None, tmp_path / "s.sqlite3", static=True, publish_on_start=False)
    try:
        token = access_token(handle)
        details = call(handle, "GET", "/fba/outbound/brazil/v0/shipments/shipmentId1", token)
        assert details.status_code == 200 and details.json()["payload"]["WarehouseId"] == "wID1234"
        bad = call(handle, "GET", "/fba/outbound/brazil/v0/shipments/BadShipId", token)
        assert bad.status_code == 400 and bad.json()["errors"][0]["code"] == "InvalidInput"
        search = call(handle, "GET", SEARCH, token, params={
            "createdAfter": "2024-12-20T00:00:00Z", "marketplaceIds": "A2Q3Y263D00KWC",
            "includedData": "BUYER,RECIPIENT,PROCEEDS,FULFILLMENT,TAX,PAYMENT"})
        assert search.json()["orders"][0]["orderId"] == "171-2345678-9012345"
        assert_model_valid(search, ORDERS, "searchOrders")
        unmatched = call(handle, "GET", "/fba/outbound/brazil/v0/shipments/other", token)
        assert unmatched.status_code == 400
        assert call(handle, "GET", "/nowhere", token).status_code == 404
    finally:
        handle.stop()


def test_print_credentials_prints_the_first_demo_sellers_configuration():
    result = subprocess.run(
        [sys.executable, "manage.py", "amazon_sandbox", "--print-credentials", "--port", "8799"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
    )
    credentials = json.loads(result.stdout)
    assert set(credentials) == {"client_id", "client_secret", "refresh_token", "selling_partner_id",
                                "lwa_token_url", "sp_api_base_url"}
    assert credentials["selling_partner_id"] == SELLER_SP
    assert credentials["lwa_token_url"] == "http://127.0.0.1:8799/auth/o2/token"


# --- the demo scenario itself ---

def _check_digits_ok(number: str) -> bool:
    digits = [int(c) for c in number]
    body = digits[:-2]
    weights = {11: [range(10, 1, -1), range(11, 1, -1)],
               14: [[5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2], [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]]}[len(digits)]
    for w in weights:
        remainder = sum(d * x for d, x in zip(body, w)) % 11
        body.append(0 if remainder < 2 else 11 - remainder)
    return body == digits


def test_the_demo_scenario_validates_against_the_models_and_its_documents_have_valid_check_digits(amazon):
    scenario = amazon.sandbox.scenario
    order_schema = {"definitions": modelspec.load_model(ORDERS)["definitions"], "$ref": "#/definitions/Order"}
    shipment_schema = {"definitions": modelspec.load_model(V0)["definitions"], "$ref": "#/definitions/ShipmentDetail"}
    documents = [seller["cnpj"] for seller in scenario["sellers"].values()]
    for entry in scenario["orders"]:
        jsonschema.Draft4Validator(order_schema).validate(entry["order"])
        documents += [r["taxRegistrationNumber"] for r in entry["order"]["tax"]["taxRegistrations"]]
    for entry in scenario["shipments"]:
        jsonschema.Draft4Validator(shipment_schema).validate(entry["shipment"])
    assert len(scenario["orders"]) == 8 and len(scenario["shipments"]) == 8
    assert all(_check_digits_ok(number) for number in documents), documents
