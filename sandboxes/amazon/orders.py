"""Orders API v2026-01-01: searchOrders and getOrder.

Orders are stored whole (every dataset); each answer keeps the core fields and adds only
the datasets named in `includedData`, as Amazon does.
"""

import base64
import json
import re
import secrets
from datetime import datetime, timedelta, timezone

from . import invoice_state
from .router import sp_operation
from .scenario import iso, parse_iso
from .state import now
from .web import ApiError, Call, Reply, csv_list, invalid_input

MODEL = "orders_2026-01-01.json"
ORDER_ID = re.compile(r"^\d{3}-\d{7}-\d{7}$")
MIN_AGE = timedelta(minutes=2)  # *Before must be at least two minutes before the request
PAGE_TOKEN_TTL = 24 * 3600
FULFILLMENT_STATUSES = {"PENDING_AVAILABILITY", "PENDING", "UNSHIPPED", "PARTIALLY_SHIPPED", "SHIPPED",
                        "CANCELLED", "UNFULFILLABLE"}
FULFILLED_BY = {"MERCHANT", "AMAZON"}
# includedData value -> (order-level keys, item-level keys) it adds to the core order.
DATASETS = {
    "BUYER": (("buyer",), ()),
    "RECIPIENT": (("recipient",), ()),
    "PROCEEDS": (("proceeds",), ("proceeds",)),
    "EXPENSE": ((), ("expense",)),
    "PROMOTION": ((), ("promotion",)),
    "CANCELLATION": ((), ("cancellation",)),
    "FULFILLMENT": (("fulfillment",), ("fulfillment",)),
    "PACKAGES": (("packages",), ()),
    "TAX": (("tax",), ("tax",)),
    "PAYMENT": (("payment",), ()),
    "FULFILLMENT_ORDERS": (("fulfillmentOrders",), ()),
}
CORE_ORDER = ("orderId", "orderAliases", "createdTime", "lastUpdatedTime", "programs", "associatedOrders",
              "salesChannel", "orderItems")
CORE_ITEM = ("orderItemId", "quantityOrdered", "measurement", "associatedOrderItems", "programs", "product")
# Filters a pagination token pins; maxResultsPerPage and includedData may change between pages.
PINNED = ("createdAfter", "createdBefore", "lastUpdatedAfter", "lastUpdatedBefore", "fulfillmentStatuses",
          "marketplaceIds", "fulfilledBy")


def shape(order: dict, included: list[str], invoice_status: str | None) -> dict:
    order_keys = set(CORE_ORDER)
    item_keys = set(CORE_ITEM)
    for name in included:
        order_keys.update(DATASETS[name][0])
        item_keys.update(DATASETS[name][1])
    shaped = {k: v for k, v in order.items() if k in order_keys}
    shaped["orderItems"] = [{k: v for k, v in item.items() if k in item_keys} for item in order["orderItems"]]
    if "tax" in shaped and invoice_status:  # the upload state lives with the invoices, not the scenario
        shaped["tax"] = {**shaped["tax"], "taxInvoicing": {**shaped["tax"].get("taxInvoicing", {}),
                                                          "invoiceStatus": invoice_status}}
    return shaped


def _included(call: Call) -> list[str]:
    included = csv_list(call.request, "includedData") or []
    unknown = [v for v in included if v not in DATASETS]
    if unknown:
        raise invalid_input(f"Invalid includedData value(s): {', '.join(unknown)}. Allowed: {', '.join(DATASETS)}")
    return included


@sp_operation(MODEL, "getOrder")
def get_order(call: Call) -> Reply:
    order_id = call.params["orderId"]
    if not ORDER_ID.match(order_id):
        raise invalid_input(f"Invalid orderId '{order_id}'. Expected format 3-7-7 digits.")
    included = _included(call)
    row = call.store.one("SELECT * FROM orders WHERE order_id = ? AND seller_id = ?", order_id, call.seller_id)
    if not row:  # somebody else's order answers like a missing one
        raise ApiError(404, "NotFound", "Order not found.", f"Order '{order_id}' was not found.")
    return Reply(200, {"order": shape(row["body"], included, invoice_state.order_status(call.store, order_id))})


# --- searchOrders ---

def _timestamp(request, name: str) -> datetime | None:
    value = request.args.get(name)
    if value is None:
        return None
    try:
        return parse_iso(value)
    except ValueError as exc:
        raise invalid_input(f"{name} '{value}' is not an ISO 8601 date-time.") from exc


def _window(request) -> dict:
    """Validate the time filters as the model's notes state; return them as ISO text."""
    stamps = {name: _timestamp(request, name) for name in PINNED[:4]}
    created = stamps["createdAfter"] or stamps["createdBefore"]
    updated = stamps["lastUpdatedAfter"] or stamps["lastUpdatedBefore"]
    if bool(stamps["createdAfter"]) == bool(stamps["lastUpdatedAfter"]):
        raise invalid_input("Exactly one of createdAfter and lastUpdatedAfter must be provided.")
    if created and updated:
        raise invalid_input("createdAfter/createdBefore cannot be combined with lastUpdatedAfter/lastUpdatedBefore.")
    kind = "created" if stamps["createdAfter"] else "lastUpdated"
    after, before = stamps[f"{kind}After"], stamps[f"{kind}Before"]
    latest = datetime.now(timezone.utc) - MIN_AGE
    if before and before > latest:
        raise invalid_input(f"{kind}Before must be at least two minutes before the time of the request.")
    if before and before < after:
        raise invalid_input(f"{kind}Before must be equal to or after {kind}After.")
    return {"kind": kind, "after": iso(after), "before": iso(before or latest)}


def _enum_list(request, name: str, allowed: set) -> list[str] | None:
    values = csv_list(request, name)
    bad = [v for v in values or [] if v not in allowed]
    if bad:
        raise invalid_input(f"Invalid {name} value(s): {', '.join(bad)}.")
    return values


def _filters(request) -> dict:
    marketplaces = csv_list(request, "marketplaceIds")
    if marketplaces and len(marketplaces) > 50:
        raise invalid_input("marketplaceIds accepts at most 50 values.")
    return {
        **_window(request),
        "marketplaceIds": marketplaces,
        "fulfillmentStatuses": _enum_list(request, "fulfillmentStatuses", FULFILLMENT_STATUSES),
        "fulfilledBy": _enum_list(request, "fulfilledBy", FULFILLED_BY),
        "raw": {name: request.args.get(name) for name in PINNED if request.args.get(name) is not None},
    }


def _page_size(request) -> int:
    value = request.args.get("maxResultsPerPage", "100")
    if not value.isdigit() or not 1 <= int(value) <= 100:
        raise invalid_input("maxResultsPerPage must be an integer between 1 and 100.")
    return int(value)


def _resume(call: Call, token: str) -> tuple[dict, list]:
    row = call.store.one("SELECT * FROM pages WHERE token = ?", token)
    if not row or row["created_at"] < now() - PAGE_TOKEN_TTL or row["data"]["seller"] != call.seller_id:
        raise invalid_input("Invalid or expired paginationToken.")
    filters = row["data"]["filters"]
    sent = {name: call.request.args.get(name) for name in PINNED if call.request.args.get(name) is not None}
    if sent and sent != filters["raw"]:
        raise invalid_input("Query parameters must not change between pages (except maxResultsPerPage and includedData).")
    return filters, row["data"]["cursor"]


def _matches(row: dict, filters: dict) -> bool:
    order = row["body"]
    checks = (
        (filters["marketplaceIds"], order["salesChannel"].get("marketplaceId")),
        (filters["fulfillmentStatuses"], order.get("fulfillment", {}).get("fulfillmentStatus")),
        (filters["fulfilledBy"], order.get("fulfillment", {}).get("fulfilledBy")),
    )
    return all(allowed is None or value in allowed for allowed, value in checks)


def _candidates(call: Call, filters: dict, cursor: list | None) -> list[dict]:
    column = "created_time" if filters["kind"] == "created" else "updated_time"
    sql = (f"SELECT * FROM orders WHERE seller_id = ? AND {column} >= ? AND {column} <= ?"  # noqa: S608
           f" AND ({column}, order_id) > (?, ?) ORDER BY {column}, order_id")
    after = cursor or ["", ""]
    rows = call.store.all(sql, call.seller_id, filters["after"], filters["before"], *after)
    return [r for r in rows if _matches(r, filters)]


@sp_operation(MODEL, "searchOrders")
def search_orders(call: Call) -> Reply:
    request = call.request
    size, included = _page_size(request), _included(call)
    token = request.args.get("paginationToken")
    filters, cursor = _resume(call, token) if token else (_filters(request), None)
    rows = _candidates(call, filters, cursor)
    page, more = rows[:size], len(rows) > size
    body = {"orders": [shape(r["body"], included, invoice_state.order_status(call.store, r["order_id"])) for r in page]}
    body[f"{filters['kind']}Before"] = filters["before"]
    if more:
        last = page[-1]
        next_cursor = [last["created_time" if filters["kind"] == "created" else "updated_time"], last["order_id"]]
        body["pagination"] = {"nextToken": _save_page(call, filters, next_cursor)}
    return Reply(200, body)


def _save_page(call: Call, filters: dict, cursor: list) -> str:
    token = base64.urlsafe_b64encode(secrets.token_bytes(24)).decode().rstrip("=")
    data = {"seller": call.seller_id, "filters": filters, "cursor": cursor}
    call.store.execute("INSERT INTO pages (token, created_at, data) VALUES (?, ?, ?)", token, now(), json.loads(json.dumps(data)))
    return token
