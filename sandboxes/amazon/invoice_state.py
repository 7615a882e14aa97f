"""Invoice uploads per shipment and their status: Processing -> Accepted | Errored.

Status is computed when read: an upload stays Processing for `invoiceDelaySeconds`
(meta, default 1 s), then becomes Errored if validation found a problem or a control call
forced it, else Accepted. Both upload APIs (Shipment Invoicing v0, Delivery 2022-07-01)
write here, so either API's status call sees the other's upload, one shipment one record.
"""

from .state import Store, now

DEFAULT_DELAY = 1.0
V2026_STATUS = {"Processing": "PROCESSING", "Accepted": "ACCEPTED", "Errored": "ERRORED", "NotFound": "NOT_FOUND"}


def delay(store: Store) -> float:
    return float(store.get_meta("invoiceDelaySeconds", DEFAULT_DELAY))


def record(store: Store, shipment: dict, *, api: str, xml: bytes, md5: str, access_key: str, problems: list[str]) -> int:
    forced = (shipment["extra"].get("invoiceOutcome") or {}).get("reason")
    cursor = store.execute(
        "INSERT INTO invoices (shipment_id, order_id, seller_id, api, md5, size, access_key, submitted_at, status,"
        " reason, forced_reason, xml) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'Processing', ?, ?, ?)",
        shipment["shipment_id"], shipment["order_id"], shipment["seller_id"], api, md5, len(xml), access_key, now(),
        "; ".join(problems) or None, forced, xml,
    )
    return cursor.lastrowid


def latest(store: Store, shipment_id: str) -> dict | None:
    row = store.one("SELECT * FROM invoices WHERE shipment_id = ? ORDER BY id DESC LIMIT 1", shipment_id)
    if row and row["status"] == "Processing" and now() - row["submitted_at"] >= delay(store):
        settled = "Errored" if (row["forced_reason"] or row["reason"]) else "Accepted"
        store.execute("UPDATE invoices SET status = ? WHERE id = ?", settled, row["id"])
        row["status"] = settled
    return row


def status(store: Store, shipment_id: str) -> str:
    row = latest(store, shipment_id)
    return row["status"] if row else "NotFound"


def order_status(store: Store, order_id: str) -> str | None:
    """The v2026 `tax.taxInvoicing.invoiceStatus` for an order with an FBA Onsite shipment."""
    shipment = store.one("SELECT shipment_id FROM shipments WHERE order_id = ? ORDER BY shipment_id LIMIT 1", order_id)
    return V2026_STATUS[status(store, shipment["shipment_id"])] if shipment else None


def force_error(store: Store, shipment_id: str, reason: str) -> str:
    """Errored now if an upload exists; otherwise the next upload of this shipment errors."""
    row = latest(store, shipment_id)
    if row:
        store.execute("UPDATE invoices SET forced_reason = ?, status = CASE WHEN status = 'Processing'"
                      " THEN status ELSE 'Errored' END WHERE id = ?", reason, row["id"])
        return "current"
    shipment = store.one("SELECT extra FROM shipments WHERE shipment_id = ?", shipment_id)
    extra = {**shipment["extra"], "invoiceOutcome": {"status": "Errored", "reason": reason}}
    store.execute("UPDATE shipments SET extra = ? WHERE shipment_id = ?", extra, shipment_id)
    return "next"


def listing(store: Store, shipment_id: str | None = None) -> list[dict]:
    ids = [shipment_id] if shipment_id else [r["shipment_id"] for r in store.all("SELECT DISTINCT shipment_id FROM invoices")]
    for sid in ids:
        latest(store, sid)  # settle statuses before reporting them
    sql = "SELECT id, shipment_id, order_id, seller_id, api, md5, size, access_key, submitted_at, status," \
          " COALESCE(forced_reason, reason) AS reason FROM invoices"
    rows = store.all(sql + (" WHERE shipment_id = ?" if shipment_id else "") + " ORDER BY id", *([shipment_id] if shipment_id else []))
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["shipment_id"]] = counts.get(row["shipment_id"], 0) + 1
    return [{**row, "submissionsForShipment": counts[row["shipment_id"]]} for row in rows]
