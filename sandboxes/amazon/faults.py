"""Injected faults: the next N calls of an operation answer 5xx/429, or answer slowly.

A fault row matches an operation id (`searchOrders`) or `*`; each matching call spends one
unit of `remaining`. Status faults answer in SP-API's error shape without running the
handler, so the client sees exactly what an overloaded Amazon would send.
"""

from .state import Store
from .web import Reply, sp_error

FAULT_ERRORS = {
    429: ("QuotaExceeded", "You exceeded your quota for the requested resource."),
    500: ("InternalFailure", "We encountered an internal error. Please try again."),
    502: ("InternalFailure", "Bad gateway."),
    503: ("ServiceUnavailable", "Service temporarily unavailable."),
    504: ("InternalFailure", "Gateway timeout."),
}


def add(store: Store, operation: str, *, status: int | None, delay: float, count: int) -> dict:
    if status is not None and status not in FAULT_ERRORS:
        raise ValueError(f"status must be one of {sorted(FAULT_ERRORS)}")
    cursor = store.execute(
        "INSERT INTO faults (operation, status, delay, remaining) VALUES (?, ?, ?, ?)", operation, status, delay, count
    )
    return {"id": cursor.lastrowid, "operation": operation, "status": status, "delaySeconds": delay, "count": count}


def take(store: Store, operation_id: str) -> dict | None:
    """Consume the oldest fault that applies to this call, if any."""
    with store.transaction():
        fault = store.one(
            "SELECT * FROM faults WHERE remaining > 0 AND operation IN (?, '*') ORDER BY id LIMIT 1", operation_id
        )
        if fault:
            store.execute("UPDATE faults SET remaining = remaining - 1 WHERE id = ?", fault["id"])
    return fault


def error_reply(status: int) -> Reply:
    code, message = FAULT_ERRORS[status]
    return sp_error(status, code, message)


def listing(store: Store) -> list[dict]:
    return store.all("SELECT id, operation, status, delay AS delaySeconds, remaining FROM faults WHERE remaining > 0")
