"""Read the official SP-API models copied in `models/`: operations, usage plans, schemas.

The models are the single source of truth: rate limits come from each operation's
"Usage Plan" table and response schemas from its `responses`, so a newer model copy
changes the sandbox without code edits.
"""

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

MODELS_DIR = Path(__file__).parent / "models"

# The Swagger models the sandbox serves (notification schemas are plain JSON Schema).
API_MODELS = (
    "orders_2026-01-01.json",
    "shipmentInvoicingV0.json",
    "deliveryShipmentInvoiceV2022-07-01.json",
    "tokens_2021-03-01.json",
    "sellers.json",
    "listingsItems_2021-08-01.json",
    "reports_2021-06-30.json",
    "definitionsProductTypes_2020-09-01.json",
)
HTTP_METHODS = ("get", "put", "post", "delete", "patch")
# "| 0.0056 | 20 |" — the only numeric row of the Usage Plan table.
_USAGE_PLAN = re.compile(r"\|\s*([\d.]+)\s*\|\s*(\d+)\s*\|")


@dataclass(frozen=True)
class Operation:
    model: str
    operation_id: str
    method: str
    path: str
    rate: float
    burst: int
    spec: dict = field(repr=False, compare=False)

    @property
    def key(self) -> str:
        """Operation ids repeat across models (submitInvoice); qualify them by model."""
        return f"{self.model}:{self.operation_id}"


@cache
def load_model(name: str) -> dict:
    return json.loads((MODELS_DIR / name).read_text(encoding="utf-8"))


def _usage_plan(description: str) -> tuple[float, int]:
    match = _USAGE_PLAN.search(description or "")
    if not match:  # every operation we serve has one; fail loudly on a model change
        raise ValueError("usage plan missing from operation description")
    return float(match.group(1)), int(match.group(2))


@cache
def operations() -> tuple[Operation, ...]:
    found = []
    for name in API_MODELS:
        for path, item in load_model(name)["paths"].items():
            for method in HTTP_METHODS:
                if method in item:
                    spec = item[method]
                    rate, burst = _usage_plan(spec.get("description", ""))
                    found.append(Operation(name, spec["operationId"], method.upper(), path, rate, burst, spec))
    return tuple(found)


def operation(model: str, operation_id: str) -> Operation:
    for op in operations():
        if op.model == model and op.operation_id == operation_id:
            return op
    raise KeyError(f"{model}:{operation_id}")


def response_schema(op: Operation, status: int) -> dict:
    """A self-contained JSON Schema for `op`'s response body at `status`."""
    response = op.spec["responses"][str(status)]
    definitions = load_model(op.model)["definitions"]
    return {"definitions": definitions, **response["schema"]}


def notification_schema(name: str) -> dict:
    return load_model(name)
