"""`/_sandbox/` control API (JSON) for tests and demos. Not part of Amazon's protocol.

Every endpoint is a row of CONTROL_ROUTES; errors answer `{"error": "..."}` with 400/404.
"""

import json
import re
from datetime import datetime, timezone

from . import credentials, faults, invoice_state, listing_control, lwa, notifications, scenario
from .web import Reply


class ControlError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def _body(request) -> dict:
    raw = request.get_data(as_text=True)
    try:
        body = json.loads(raw) if raw else {}
    except ValueError as exc:
        raise ControlError(400, f"body is not JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise ControlError(400, "body must be a JSON object")
    return body


def _now() -> str:
    return scenario.iso(datetime.now(timezone.utc))


def _order_row(sandbox, order_id: str) -> dict:
    row = sandbox.store.one("SELECT * FROM orders WHERE order_id = ?", order_id)
    if not row:
        raise ControlError(404, f"order {order_id} not found")
    return row


def _shipment_row(sandbox, shipment_id: str) -> dict:
    row = sandbox.store.one("SELECT * FROM shipments WHERE shipment_id = ?", shipment_id)
    if not row:
        raise ControlError(404, f"shipment {shipment_id} not found")
    return row


def merge_patch(target, patch):
    """RFC 7386 JSON merge patch: objects merge, null deletes, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    merged = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge_patch(merged.get(key), value)
    return merged


def _save_order(sandbox, row: dict, order: dict, reason: str) -> dict:
    order = {**order, "lastUpdatedTime": _now()}
    scenario.put_order(sandbox.store, row["seller_id"], order, row.get("extra") or {})
    saved = _order_row(sandbox, order["orderId"])
    sandbox.publisher.publish(notifications.order_change(sandbox.store, saved, reason))
    return order


# --- handlers: (sandbox, request, **path params) -> (status, body) ---

def health(sandbox, request):
    return 200, {"ok": True, "static": sandbox.settings.static}


def reset(sandbox, request):
    sandbox.reset()
    return 200, {"reset": True}


def add_order(sandbox, request):
    body = scenario.resolve_times(_body(request), datetime.now(timezone.utc))
    seller_id, order = body.get("sellingPartnerId"), body.get("order")
    if seller_id not in sandbox.scenario["sellers"] or not isinstance(order, dict) or "orderId" not in order:
        raise ControlError(400, "need sellingPartnerId (a scenario seller) and order (a v2026 Order with orderId)")
    stamp = _now()
    order = {"createdTime": stamp, **order, "lastUpdatedTime": stamp}
    scenario.put_order(sandbox.store, seller_id, order, body.get("extra", {}))
    row = _order_row(sandbox, order["orderId"])
    sent = [sandbox.publisher.publish(notifications.order_change(sandbox.store, row, "Order created"))]
    if body.get("shipment"):
        scenario.put_shipment(sandbox.store, {"shipment": body["shipment"], "status": "Created"})
        shipment = _shipment_row(sandbox, body["shipment"]["AmazonShipmentId"])
        sent.append(sandbox.publisher.publish(notifications.shipment_status(sandbox.store, shipment, "Created")))
    return 201, {"order": order, "notifications": [m["NotificationMetadata"]["NotificationId"] for m in sent]}


def update_order(sandbox, request, order_id):
    row = _order_row(sandbox, order_id)
    patch = _body(request)
    patch.pop("orderId", None)  # the key cannot move
    return 200, {"order": _save_order(sandbox, row, merge_patch(row["body"], patch), "Order updated")}


def cancel_order(sandbox, request, order_id):
    row = _order_row(sandbox, order_id)
    order = merge_patch(row["body"], {"fulfillment": {"fulfillmentStatus": "CANCELLED"}})
    saved = _save_order(sandbox, row, order, "Order cancelled")
    for shipment in sandbox.store.all("SELECT shipment_id FROM shipments WHERE order_id = ?", order_id):
        cancel_shipment(sandbox, request, shipment["shipment_id"])
    return 200, {"order": saved}


def cancel_shipment(sandbox, request, shipment_id):
    _shipment_row(sandbox, shipment_id)
    sandbox.store.execute("UPDATE shipments SET status = 'Cancelled' WHERE shipment_id = ?", shipment_id)
    message = notifications.shipment_status(sandbox.store, _shipment_row(sandbox, shipment_id), "Cancelled")
    sandbox.publisher.publish(message)
    return 200, {"shipmentId": shipment_id, "status": "Cancelled",
                 "notificationId": message["NotificationMetadata"]["NotificationId"]}


def publish_shipment(sandbox, request, shipment_id):
    shipment = _shipment_row(sandbox, shipment_id)
    status = _body(request).get("status", shipment["status"])
    message = sandbox.publisher.publish(notifications.shipment_status(sandbox.store, shipment, status))
    return 200, message


def publish_order(sandbox, request, order_id):
    row = _order_row(sandbox, order_id)
    reason = _body(request).get("reason", "Order updated")
    return 200, sandbox.publisher.publish(notifications.order_change(sandbox.store, row, reason))


def duplicate_notification(sandbox, request, notification_id):
    message = sandbox.publisher.duplicate(notification_id)
    if not message:
        raise ControlError(404, f"notification {notification_id} was never published")
    return 200, message


def list_notifications(sandbox, request):
    rows = sandbox.store.all("SELECT notification_id, type, published_at, delivered, body FROM notifications ORDER BY id")
    return 200, {"notifications": rows}


def force_invoice_error(sandbox, request, shipment_id):
    _shipment_row(sandbox, shipment_id)
    reason = _body(request).get("reason") or "Forced by the sandbox control API"
    applies_to = invoice_state.force_error(sandbox.store, shipment_id, reason)
    return 200, {"shipmentId": shipment_id, "reason": reason, "appliesTo": applies_to}


def list_invoices(sandbox, request):
    return 200, {"invoices": invoice_state.listing(sandbox.store, request.args.get("shipmentId"))}


def add_fault(sandbox, request):
    body = _body(request)
    if "operation" not in body or ("status" not in body and "delaySeconds" not in body):
        raise ControlError(400, "need operation ('*' for all) and status and/or delaySeconds")
    try:
        fault = faults.add(sandbox.store, body["operation"], status=body.get("status"),
                           delay=float(body.get("delaySeconds", 0)), count=int(body.get("count", 1)))
    except ValueError as exc:
        raise ControlError(400, str(exc)) from exc
    return 201, fault


def list_faults(sandbox, request):
    return 200, {"faults": faults.listing(sandbox.store)}


def clear_faults(sandbox, request):
    sandbox.store.execute("DELETE FROM faults")
    return 200, {"faults": []}


def revoke_refresh_tokens(sandbox, request):
    body = _body(request)
    if body.get("refresh_token"):
        count = credentials.revoke(sandbox.store, body["refresh_token"])
    elif body.get("sellingPartnerId"):
        count = credentials.revoke_seller(sandbox.store, body["sellingPartnerId"])
    else:
        raise ControlError(400, "need refresh_token or sellingPartnerId")
    return 200, {"revoked": count}


def expire_tokens(sandbox, request):
    body = _body(request)
    kinds = tuple(body.get("kinds", ["access", "rdt"]))
    if not set(kinds) <= {"access", "rdt", "code"}:
        raise ControlError(400, "kinds may contain access, rdt, code")
    return 200, {"expired": credentials.expire(sandbox.store, kinds, body.get("sellingPartnerId"))}


def issue_auth_code(sandbox, request):
    body = _body(request)
    seller_id = body.get("sellingPartnerId")
    if seller_id not in sandbox.scenario["sellers"]:
        raise ControlError(400, "need sellingPartnerId of a scenario seller")
    return 201, {"spapi_oauth_code": lwa.issue_code(sandbox.store, seller_id, body.get("redirect_uri")),
                 "selling_partner_id": seller_id}


def change_settings(sandbox, request):
    body = _body(request)
    if "invoiceDelaySeconds" in body:
        sandbox.store.set_meta("invoiceDelaySeconds", float(body["invoiceDelaySeconds"]))
    if "rateScale" in body:
        sandbox.limiter.scale = float(body["rateScale"])
    return 200, {"invoiceDelaySeconds": invoice_state.delay(sandbox.store), "rateScale": sandbox.limiter.scale}


ID = r"(?P<{}>[^/]+)"
CONTROL_ROUTES = [
    ("GET", "/_sandbox/health", health),
    ("POST", "/_sandbox/reset", reset),
    ("POST", "/_sandbox/settings", change_settings),
    ("POST", "/_sandbox/orders", add_order),
    ("PATCH", f"/_sandbox/orders/{ID.format('order_id')}", update_order),
    ("POST", f"/_sandbox/orders/{ID.format('order_id')}/cancel", cancel_order),
    ("POST", f"/_sandbox/orders/{ID.format('order_id')}/publish", publish_order),
    ("POST", f"/_sandbox/shipments/{ID.format('shipment_id')}/cancel", cancel_shipment),
    ("POST", f"/_sandbox/shipments/{ID.format('shipment_id')}/publish", publish_shipment),
    ("POST", f"/_sandbox/shipments/{ID.format('shipment_id')}/invoice-error", force_invoice_error),
    ("GET", "/_sandbox/invoices", list_invoices),
    ("GET", "/_sandbox/notifications", list_notifications),
    ("POST", f"/_sandbox/notifications/{ID.format('notification_id')}/duplicate", duplicate_notification),
    ("GET", "/_sandbox/faults", list_faults),
    ("POST", "/_sandbox/faults", add_fault),
    ("DELETE", "/_sandbox/faults", clear_faults),
    ("POST", "/_sandbox/refresh-tokens/revoke", revoke_refresh_tokens),
    ("POST", "/_sandbox/tokens/expire", expire_tokens),
    ("POST", "/_sandbox/auth-codes", issue_auth_code),
]
CONTROL_ROUTES += listing_control.CONTROL_ROUTES
_COMPILED = [(method, re.compile(f"^{pattern}$"), handler) for method, pattern, handler in CONTROL_ROUTES]


def handle(sandbox, request) -> Reply:
    for method, pattern, handler in _COMPILED:
        match = pattern.match(request.path)
        if match and method == request.method:
            try:
                status, body = handler(sandbox, request, **match.groupdict())
            except ControlError as exc:
                status, body = exc.status, {"error": str(exc)}
            return Reply(status, body)
    return Reply(404, {"error": f"no control endpoint {request.method} {request.path}"})
