"""Scenario files: load, resolve relative times, check links, seed the store.

Times may be written `now`, `now-2d`, `now-3h30m`, `now+1d` anywhere in orders and shipments,
so a demo scenario always holds recent orders. See docs/amazon-sandbox.md for the format.
"""

import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

from . import credentials, listing_store
from .state import Store

DEMO_SCENARIO = Path(__file__).parent / "scenarios" / "demo.json"
BRAZIL = "A2Q3Y263D00KWC"
_RELATIVE = re.compile(r"^now(?P<sign>[+-])?(?P<span>(?:\d+[dhms])*)$")
_UNITS = {"d": "days", "h": "hours", "m": "minutes", "s": "seconds"}


class ScenarioError(ValueError):
    pass


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def resolve_times(value, base: datetime):
    """Replace every `now±span` string, recursively."""
    if isinstance(value, dict):
        return {k: resolve_times(v, base) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve_times(v, base) for v in value]
    if isinstance(value, str) and (match := _RELATIVE.match(value)):
        spans = re.findall(r"(\d+)([dhms])", match["span"])
        delta = timedelta(**{_UNITS[unit]: int(n) for n, unit in spans}) if spans else timedelta()
        return iso(base - delta if match["sign"] == "-" else base + delta)
    return value


def load(source) -> dict:
    if isinstance(source, dict):
        raw = source
    else:
        raw = json.loads(Path(source).read_text(encoding="utf-8"))
    scenario = resolve_times(raw, datetime.now(timezone.utc))
    check(scenario)
    return scenario


def check(scenario: dict) -> None:
    for key in ("application", "sellers"):
        if key not in scenario:
            raise ScenarioError(f"scenario lacks '{key}'")
    for key in ("client_id", "client_secret", "application_id"):
        if not scenario["application"].get(key):
            raise ScenarioError(f"application.{key} is required")
    sellers = scenario["sellers"]
    order_ids = set()
    for entry in scenario.get("orders", []):
        if entry.get("sellingPartnerId") not in sellers:
            raise ScenarioError(f"order {entry.get('order', {}).get('orderId')} names an unknown seller")
        order_ids.add(entry["order"]["orderId"])
    for entry in scenario.get("shipments", []):
        if entry["shipment"].get("AmazonOrderId") not in order_ids:
            raise ScenarioError(f"shipment {entry['shipment'].get('AmazonShipmentId')} links to an unknown order")


def seed(store: Store, scenario: dict) -> None:
    """Replace everything in the store with the scenario's data, atomically."""
    with store.transaction():
        _seed(store, scenario)
    # listing_store creates its tables with executescript, which commits: keep it outside
    listing_store.seed(store, scenario.get("listings", {}))


def _seed(store: Store, scenario: dict) -> None:
    store.wipe()
    store.set_meta("application", scenario["application"])
    store.set_meta("marketplace", scenario.get("marketplace", {"id": BRAZIL}))
    for seller_id, seller in scenario["sellers"].items():
        store.execute("INSERT INTO sellers (seller_id, body) VALUES (?, ?)", seller_id, seller)
        for token in seller.get("refreshTokens", []):
            credentials.issue(store, "refresh", seller_id, token=token)
    for entry in scenario.get("orders", []):
        put_order(store, entry["sellingPartnerId"], entry["order"], entry.get("extra", {}))
    for entry in scenario.get("shipments", []):
        put_shipment(store, entry)


def put_order(store: Store, seller_id: str, order: dict, extra: dict) -> None:
    store.execute(
        "INSERT OR REPLACE INTO orders (order_id, seller_id, created_time, updated_time, body, extra) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        order["orderId"], seller_id, _normal(order["createdTime"]), _normal(order["lastUpdatedTime"]), order, extra,
    )


def put_shipment(store: Store, entry: dict) -> None:
    shipment = entry["shipment"]
    order = store.one("SELECT seller_id FROM orders WHERE order_id = ?", shipment["AmazonOrderId"])
    if not order:
        raise ScenarioError(f"shipment {shipment.get('AmazonShipmentId')} links to an unknown order")
    extra = {k: v for k, v in entry.items() if k not in ("shipment", "status", "sellingPartnerId")}
    store.execute(
        "INSERT OR REPLACE INTO shipments (shipment_id, seller_id, order_id, status, body, extra) VALUES (?, ?, ?, ?, ?, ?)",
        shipment["AmazonShipmentId"], order["seller_id"], shipment["AmazonOrderId"],
        entry.get("status", "Created"), shipment, extra,
    )


def _normal(value: str) -> str:
    """Sortable UTC text, whatever ISO 8601 spelling the scenario used."""
    return iso(parse_iso(value))
