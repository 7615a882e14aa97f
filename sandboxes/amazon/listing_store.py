"""Listings held by the sandbox: one row per (seller, SKU) with Amazon's attribute document.

Everything Amazon derives from the attributes (summaries, offers, fulfillment availability,
buyability) is derived here too, so a patch of `fulfillment_availability` shows up in
`getListingsItem` and in the listings report exactly as it would on Amazon.

Scenario key `listings`: `{"<sellerId>": [{"sku", "asin", "productType", "itemName",
"price", "channels": {"DEFAULT": 5, "AMAZON_NA": null}, "issues": [...]}]}`.
"""

import random
from datetime import datetime, timezone

from .state import Store

BRAZIL = "A2Q3Y263D00KWC"
MERCHANT = "DEFAULT"
DEFAULT_AMAZON_CHANNEL = "AMAZON_NA"  # the code Amazon documents for FBA; Brazil's own is not published
SCHEMA = """
CREATE TABLE IF NOT EXISTS listings (
    seller_id TEXT NOT NULL, sku TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (seller_id, sku));
CREATE TABLE IF NOT EXISTS reports (
    report_id TEXT PRIMARY KEY, seller_id TEXT NOT NULL, created_at REAL NOT NULL, body TEXT NOT NULL,
    document_id TEXT, notified INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS report_documents (
    document_id TEXT PRIMARY KEY, seller_id TEXT NOT NULL, rows INTEGER NOT NULL, content BLOB NOT NULL);
"""
TABLES = ("listings", "reports", "report_documents")


def stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def is_amazon(code: str) -> bool:
    return code.startswith("AMAZON_")


def ensure_tables(store: Store) -> None:
    with store._lock:  # executescript commits; keep it away from other writers
        store._db.executescript(SCHEMA)


def seed(store: Store, listings: dict) -> None:
    ensure_tables(store)
    with store.transaction():
        for table in TABLES:
            store.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
        for seller_id, entries in listings.items():
            for entry in entries:
                put(store, seller_id, from_entry(entry))


def from_entry(entry: dict) -> dict:
    """A listing body from the compact scenario form."""
    when = entry.get("createdDate") or stamp()
    attributes = {
        "item_name": [{"value": entry.get("itemName", entry["sku"]), "language_tag": "pt_BR", "marketplace_id": BRAZIL}],
        "condition_type": [{"value": entry.get("conditionType", "new_new"), "marketplace_id": BRAZIL}],
        "fulfillment_availability": [_channel(code, qty) for code, qty in entry.get("channels", {}).items()],
    }
    if entry.get("asin"):
        attributes["merchant_suggested_asin"] = [{"value": entry["asin"], "marketplace_id": BRAZIL}]
    if entry.get("price") is not None:
        attributes["purchasable_offer"] = [offer_attribute(entry["price"])]
    return {"sku": entry["sku"], "asin": entry.get("asin"), "productType": entry.get("productType", "HOME"),
            "createdDate": when, "lastUpdatedDate": when, "attributes": attributes,
            "issues": entry.get("issues", [])}


def _channel(code: str, quantity) -> dict:
    return {"fulfillment_channel_code": code} if quantity is None else {"fulfillment_channel_code": code,
                                                                         "quantity": quantity}


def offer_attribute(price) -> dict:
    return {"marketplace_id": BRAZIL, "currency": "BRL", "audience": "ALL",
            "our_price": [{"schedule": [{"value_with_tax": float(price)}]}]}


def get(store: Store, seller_id: str, sku: str) -> dict | None:
    row = store.one("SELECT body FROM listings WHERE seller_id = ? AND sku = ?", seller_id, sku)
    return row["body"] if row else None


def put(store: Store, seller_id: str, body: dict) -> None:
    store.execute("INSERT OR REPLACE INTO listings (seller_id, sku, body) VALUES (?, ?, ?)", seller_id, body["sku"], body)


def delete(store: Store, seller_id: str, sku: str) -> bool:
    return store.execute("DELETE FROM listings WHERE seller_id = ? AND sku = ?", seller_id, sku).rowcount > 0


def all_for(store: Store, seller_id: str) -> list[dict]:
    rows = store.all("SELECT body FROM listings WHERE seller_id = ? ORDER BY sku", seller_id)
    return [row["body"] for row in rows]


# --- what Amazon derives from the attributes ---

def channels(body: dict) -> list[dict]:
    return body["attributes"].get("fulfillment_availability", [])


def price_of(body: dict) -> str | None:
    for offer in body["attributes"].get("purchasable_offer", []):
        for price in offer.get("our_price", []):
            for entry in price.get("schedule", []):
                return format(entry["value_with_tax"], ".2f")
    return None


def statuses(body: dict) -> list[str]:
    found = ["DISCOVERABLE"] if body.get("asin") else []
    sellable = any(is_amazon(c["fulfillment_channel_code"]) or (c.get("quantity") or 0) > 0 for c in channels(body))
    if price_of(body) is not None and sellable:
        found.insert(0, "BUYABLE")
    return found


def generate(store: Store, seller_id: str, count: int, *, seed_value: int = 7, hybrid_every: int = 50,
             twin_every: int = 70, amazon_channel: str = DEFAULT_AMAZON_CHANNEL) -> int:
    """`count` synthetic listings: mostly FBA Onsite, some merchant-fulfilled, a few hybrids of each form."""
    rng = random.Random(seed_value)
    made = 0
    with store.transaction():
        for n in range(count):
            for entry in _synthetic(n, rng, hybrid_every, twin_every, amazon_channel):
                put(store, seller_id, from_entry(entry))
                made += 1
    return made


def _synthetic(n: int, rng: random.Random, hybrid_every: int, twin_every: int, amazon: str) -> list[dict]:
    asin = f"B0{n:08d}"
    base = {"asin": asin, "itemName": f"Produto sintético {n}", "price": round(rng.uniform(10, 500), 2),
            "productType": "HOME" if n % 2 else "KITCHEN"}
    if hybrid_every and n % hybrid_every == 1:  # one SKU, both channels
        return [{**base, "sku": f"SKU-{n:06d}", "channels": {amazon: None, MERCHANT: rng.randint(1, 9)}}]
    if twin_every and n % twin_every == 2:  # two SKUs, same ASIN
        return [{**base, "sku": f"SKU-{n:06d}", "channels": {amazon: None}},
                {**base, "sku": f"SKU-{n:06d}-MFN", "channels": {MERCHANT: rng.randint(1, 9)}}]
    channel = {MERCHANT: rng.randint(0, 50)} if n % 5 == 0 else {amazon: None}
    return [{**base, "sku": f"SKU-{n:06d}", "channels": channel}]
