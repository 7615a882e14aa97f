"""Listings Items API 2021-08-01: get, put, patch, delete and search.

Faithful to Amazon where it matters to us: `mode=VALIDATION_PREVIEW` validates without saving;
PATCH applies JSON Patch ops (add, replace, merge, delete) to attributes; and Amazon-fulfilled
channels belong to Seller Flex, so a write that brings a `DEFAULT` quantity to an FBA Onsite SKU
adds the merchant-fulfilled offer next to it (the SKU turns hybrid) instead of replacing it —
which is exactly how integrators create hybrid offers by accident.
"""

import base64
import uuid

from . import listing_store as ls
from . import notifications, product_types
from .router import sp_operation
from .web import ApiError, Call, Reply, csv_list, invalid_input, json_body

MODEL = "listingsItems_2021-08-01.json"
INCLUDED = {"summaries", "attributes", "issues", "offers", "fulfillmentAvailability", "procurement",
            "relationships", "productTypes"}
SEARCH_CAP = 1000  # searchListingsItems never goes past the first 1,000 SKUs
MAX_PAGE = 20
# The attribute entry that identifies a value inside a list, for `merge` and `delete` with values.
ENTRY_KEY = {"fulfillment_availability": "fulfillment_channel_code"}


def _marketplace(call: Call) -> str:
    ids = csv_list(call.request, "marketplaceIds")
    if not ids:
        raise invalid_input("Missing required parameter: marketplaceIds.")
    if ids != [ls.BRAZIL]:
        raise invalid_input(f"Marketplace(s) {', '.join(ids)} not available for this seller.")
    return ids[0]


def _check_seller(call: Call) -> None:
    if call.params["sellerId"] != call.seller_id:  # another partner's listings: Amazon answers 403
        raise ApiError(403, "Unauthorized", "Access to requested resource is denied.",
                       "The sellerId does not match the access token.")


def _included(call: Call, default: str = "summaries") -> set[str]:
    included = set(csv_list(call.request, "includedData") or [default])
    if included - INCLUDED:
        raise invalid_input(f"Invalid includedData value(s): {', '.join(sorted(included - INCLUDED))}.")
    return included


def item_view(body: dict, included: set[str]) -> dict:
    item = {"sku": body["sku"]}
    if "summaries" in included:
        summary = {"marketplaceId": ls.BRAZIL, "productType": body["productType"], "status": ls.statuses(body),
                   "createdDate": body["createdDate"], "lastUpdatedDate": body["lastUpdatedDate"],
                   "conditionType": body["attributes"].get("condition_type", [{}])[0].get("value", "new_new"),
                   "itemName": body["attributes"].get("item_name", [{}])[0].get("value", body["sku"])}
        if body.get("asin"):
            summary["asin"] = body["asin"]
        item["summaries"] = [summary]
    if "attributes" in included:
        item["attributes"] = body["attributes"]
    if "issues" in included:
        item["issues"] = body.get("issues", [])
    if "offers" in included:
        price = ls.price_of(body)
        item["offers"] = [] if price is None else [
            {"marketplaceId": ls.BRAZIL, "offerType": "B2C", "price": {"currencyCode": "BRL", "amount": price}}]
    if "fulfillmentAvailability" in included:
        item["fulfillmentAvailability"] = [_availability(c) for c in ls.channels(body)]
    if "productTypes" in included:
        item["productTypes"] = [{"marketplaceId": ls.BRAZIL, "productType": body["productType"]}]
    return item


def _availability(channel: dict) -> dict:
    shown = {"fulfillmentChannelCode": channel["fulfillment_channel_code"]}
    if channel.get("quantity") is not None:
        shown["quantity"] = channel["quantity"]
    return shown


def _listing(call: Call) -> dict:
    body = ls.get(call.store, call.seller_id, call.params["sku"])
    if body is None:
        raise ApiError(404, "NOT_FOUND", f"SKU '{call.params['sku']}' not found in marketplace {ls.BRAZIL}")
    return body


@sp_operation(MODEL, "getListingsItem")
def get_listings_item(call: Call) -> Reply:
    _check_seller(call)
    _marketplace(call)
    return Reply(200, item_view(_listing(call), _included(call)))


def _submission(sku: str, status: str, issues: list[dict]) -> Reply:
    return Reply(200, {"sku": sku, "status": status, "submissionId": uuid.uuid4().hex, "issues": issues})


def _preview(call: Call) -> bool:
    mode = call.request.args.get("mode")
    if mode not in (None, "VALIDATION_PREVIEW"):
        raise invalid_input(f"Invalid mode '{mode}'. Allowed: VALIDATION_PREVIEW.")
    return mode == "VALIDATION_PREVIEW"


def _save(call: Call, old: dict | None, new: dict, issues: list[dict]) -> Reply:
    """Answer VALID/INVALID in preview, INVALID on errors, else store and answer ACCEPTED."""
    errors = [i for i in issues if i["severity"] == "ERROR"]
    if _preview(call):
        return _submission(new["sku"], "INVALID" if errors else "VALID", issues)
    if errors:
        return _submission(new["sku"], "INVALID", issues)
    new["attributes"]["fulfillment_availability"] = _seller_flex_keeps(old, ls.channels(new))
    new["lastUpdatedDate"] = ls.stamp()
    ls.put(call.store, call.seller_id, new)
    if old is None or ls.statuses(old) != ls.statuses(new):
        publish_status_change(call.sandbox, call.seller_id, new)
    return _submission(new["sku"], "ACCEPTED", issues)


def publish_status_change(sandbox, seller_id: str, body: dict, status: list[str] | None = None) -> dict:
    """LISTINGS_ITEM_STATUS_CHANGE, named as Amazon's documentation and the model's example name it
    (the model's enum says `..._CHANGED`; the example and the subscription type say `..._CHANGE`)."""
    payload = {"SellerId": seller_id, "MarketplaceId": ls.BRAZIL, "Sku": body["sku"],
               "CreatedDate": body["createdDate"], "Status": ls.statuses(body) if status is None else status}
    if body.get("asin"):
        payload["Asin"] = body["asin"]
    return sandbox.publisher.publish(notifications.envelope(sandbox.store, "LISTINGS_ITEM_STATUS_CHANGE", payload))


def _seller_flex_keeps(old: dict | None, wanted: list[dict]) -> list[dict]:
    """Amazon-fulfilled channels survive every write except an explicit delete: a `DEFAULT`
    quantity sent for an FBA Onsite SKU therefore ADDS a merchant-fulfilled offer."""
    kept = [c for c in (ls.channels(old) if old else []) if ls.is_amazon(c["fulfillment_channel_code"])]
    codes = {c["fulfillment_channel_code"] for c in wanted}
    return wanted + [c for c in kept if c["fulfillment_channel_code"] not in codes]


@sp_operation(MODEL, "putListingsItem")
def put_listings_item(call: Call) -> Reply:
    _check_seller(call)
    _marketplace(call)
    request = json_body(call.request)
    if not request.get("productType") or not isinstance(request.get("attributes"), dict):
        raise invalid_input("Request body requires productType and attributes.")
    old = ls.get(call.store, call.seller_id, call.params["sku"])
    requirements = request.get("requirements", "LISTING")
    issues = product_types.validate(request["productType"], requirements, request["attributes"])
    asin = (request["attributes"].get("merchant_suggested_asin") or [{}])[0].get("value")
    now = ls.stamp()
    new = {"sku": call.params["sku"], "asin": asin or (old or {}).get("asin"), "productType": request["productType"],
           "createdDate": (old or {}).get("createdDate", now), "lastUpdatedDate": now,
           "attributes": request["attributes"], "issues": []}
    return _save(call, old, new, issues)


@sp_operation(MODEL, "patchListingsItem")
def patch_listings_item(call: Call) -> Reply:
    _check_seller(call)
    _marketplace(call)
    request = json_body(call.request)
    if not request.get("productType") or not isinstance(request.get("patches"), list) or not request["patches"]:
        raise invalid_input("Request body requires productType and a non-empty patches list.")
    old = _listing(call)
    new = {**old, "attributes": {k: list(v) for k, v in old["attributes"].items()}}
    deleted_amazon = set()
    for patch in request["patches"]:
        deleted_amazon |= apply_patch(new["attributes"], patch)
    issues = product_types.validate_values(new["attributes"])
    if deleted_amazon:  # an explicit delete is the one write that may drop an Amazon channel
        old = {**old, "attributes": {**old["attributes"], "fulfillment_availability": [
            c for c in ls.channels(old) if c["fulfillment_channel_code"] not in deleted_amazon]}}
    return _save(call, old, new, issues)


def apply_patch(attributes: dict, patch: dict) -> set[str]:
    """Apply one JSON Patch op to the attribute document; return Amazon channel codes it deleted."""
    op, path, value = patch.get("op"), patch.get("path", ""), patch.get("value")
    if op not in ("add", "replace", "merge", "delete") or not path.startswith("/attributes/"):
        raise invalid_input(f"Invalid patch operation {op!r} on {path!r}.")
    name = path.removeprefix("/attributes/")
    if op != "delete" and not isinstance(value, list):
        raise invalid_input(f"Patch op '{op}' on {path} needs a value list.")
    if op in ("add", "replace"):
        attributes[name] = value
        return set()
    if op == "merge":
        attributes[name] = _merge(attributes.get(name, []), value, ENTRY_KEY.get(name, "marketplace_id"))
        return set()
    return _delete(attributes, name, value)


def _merge(current: list, values: list, key: str) -> list:
    merged = [dict(entry) for entry in current]
    for value in values:
        match = next((e for e in merged if e.get(key) == value.get(key)), None)
        if match is None:
            merged.append(dict(value))
        else:
            match.update(value)
    return merged


def _delete(attributes: dict, name: str, values: list | None) -> set[str]:
    key = ENTRY_KEY.get(name, "marketplace_id")
    if not values:
        removed = attributes.pop(name, [])
    else:
        doomed = {v.get(key) for v in values}
        removed = [e for e in attributes.get(name, []) if e.get(key) in doomed]
        attributes[name] = [e for e in attributes.get(name, []) if e.get(key) not in doomed]
    if name != "fulfillment_availability":
        return set()
    return {e["fulfillment_channel_code"] for e in removed if ls.is_amazon(e["fulfillment_channel_code"])}


@sp_operation(MODEL, "deleteListingsItem")
def delete_listings_item(call: Call) -> Reply:
    _check_seller(call)
    _marketplace(call)
    body = _listing(call)
    ls.delete(call.store, call.seller_id, call.params["sku"])
    publish_status_change(call.sandbox, call.seller_id, body, status=[])
    return _submission(call.params["sku"], "ACCEPTED", [])


@sp_operation(MODEL, "searchListingsItems")
def search_listings_items(call: Call) -> Reply:
    _check_seller(call)
    _marketplace(call)
    size = _page_size(call)
    offset = _offset(call.request.args.get("pageToken"))
    bodies = ls.all_for(call.store, call.seller_id)[:SEARCH_CAP]
    page = bodies[offset:offset + size]
    result = {"numberOfResults": len(bodies), "items": [item_view(b, _included(call)) for b in page]}
    if offset + size < len(bodies):
        result["pagination"] = {"nextToken": base64.urlsafe_b64encode(str(offset + size).encode()).decode()}
    return Reply(200, result)


def _page_size(call: Call) -> int:
    try:
        size = int(call.request.args.get("pageSize", 10))
    except ValueError as exc:
        raise invalid_input("pageSize must be an integer.") from exc
    if not 1 <= size <= MAX_PAGE:
        raise invalid_input(f"pageSize must be between 1 and {MAX_PAGE}.")
    return size


def _offset(token: str | None) -> int:
    if not token:
        return 0
    try:
        return int(base64.urlsafe_b64decode(token.encode()).decode())
    except ValueError as exc:
        raise invalid_input("Invalid pageToken.") from exc
