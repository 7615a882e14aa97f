"""`/_sandbox/` control endpoints for listings and reports (tests, demos, the benchmark), and the
unauthenticated documents Amazon serves from pre-signed URLs (report documents, schemas)."""

import json

from . import listing_store as ls
from . import listings, product_types, reports

ID = r"(?P<{}>[^/]+)"


def _body(request) -> dict:
    raw = request.get_data(as_text=True)
    body = json.loads(raw) if raw else {}
    if not isinstance(body, dict):
        raise ValueError("body must be a JSON object")
    return body


def _seller(sandbox, seller_id: str) -> str:
    if seller_id not in sandbox.scenario["sellers"]:
        raise KeyError(f"seller {seller_id} is not in the scenario")
    return seller_id


def generate(sandbox, request, seller_id):
    body = _body(request)
    made = ls.generate(sandbox.store, _seller(sandbox, seller_id), int(body.get("count", 100)),
                       seed_value=int(body.get("seed", 7)), hybrid_every=int(body.get("hybridEvery", 50)),
                       twin_every=int(body.get("twinEvery", 70)),
                       amazon_channel=body.get("amazonChannel", ls.DEFAULT_AMAZON_CHANNEL))
    return 201, {"listings": made}


def put_listing(sandbox, request, seller_id, sku):
    entry = {**_body(request), "sku": sku}
    ls.put(sandbox.store, _seller(sandbox, seller_id), ls.from_entry(entry))
    return 201, ls.get(sandbox.store, seller_id, sku)


def list_listings(sandbox, request, seller_id):
    bodies = ls.all_for(sandbox.store, _seller(sandbox, seller_id))
    return 200, {"listings": [{**b, "status": ls.statuses(b)} for b in bodies]}


def publish_status(sandbox, request, seller_id, sku):
    body = ls.get(sandbox.store, _seller(sandbox, seller_id), sku)
    if body is None:
        raise KeyError(f"listing {sku} not found")
    status = _body(request).get("status")
    return 200, listings.publish_status_change(sandbox, seller_id, body, status=status)


def settings(sandbox, request):
    body = _body(request)
    if "reportDelaySeconds" in body:
        sandbox.store.set_meta("reportDelaySeconds", float(body["reportDelaySeconds"]))
    return 200, {"reportDelaySeconds": reports.delay(sandbox.store)}


def report_document(sandbox, request, document_id):
    row = sandbox.store.one("SELECT content FROM report_documents WHERE document_id = ?", document_id)
    if not row:
        raise KeyError(f"document {document_id} not found")
    return 200, bytes(row["content"])  # a pre-signed S3 URL in Amazon: no token, raw bytes


def schema(sandbox, request, product_type):
    if product_type == "meta-schema":
        return 200, {"$id": product_types.META_SCHEMA, "$schema": "https://json-schema.org/draft/2019-09/schema"}
    if product_type not in product_types.PRODUCT_TYPES:
        raise KeyError(f"product type {product_type} not found")
    return 200, product_types.schema_document(product_type, request.args.get("requirements", "LISTING"))


def _guarded(handler):
    """Control errors as `{"error": ...}`, like the rest of the control API."""
    def run(sandbox, request, **params):
        try:
            status, body = handler(sandbox, request, **params)
        except KeyError as exc:
            return 404, {"error": str(exc.args[0])}
        except ValueError as exc:
            return 400, {"error": str(exc)}
        return status, body
    return run


CONTROL_ROUTES = [(method, path, _guarded(handler)) for method, path, handler in [
    ("POST", "/_sandbox/listings/settings", settings),
    ("POST", f"/_sandbox/listings/{ID.format('seller_id')}/generate", generate),
    ("GET", f"/_sandbox/listings/{ID.format('seller_id')}", list_listings),
    ("PUT", f"/_sandbox/listings/{ID.format('seller_id')}/{ID.format('sku')}", put_listing),
    ("POST", f"/_sandbox/listings/{ID.format('seller_id')}/{ID.format('sku')}/publish", publish_status),
    ("GET", f"/_sandbox/report-documents/{ID.format('document_id')}", report_document),
    ("GET", f"/_sandbox/schemas/{ID.format('product_type')}", schema),
]]
