"""`--static`: answer the models' `x-amzn-api-sandbox.static` cases, as Amazon's sandbox host does.

Each case lists request parameters (path, query, body) and the canned answer. A request
matches when every listed parameter equals what was sent (arrays compared as lists, the
body as parsed JSON); extra parameters are ignored. Cases with more parameters are tried
first, so the catch-all `{}` cases never shadow specific ones.
"""

import json
from dataclasses import dataclass
from functools import cache

from . import modelspec, router
from .web import Reply, csv_list, sp_error


@dataclass(frozen=True)
class StaticCase:
    operation: modelspec.Operation
    parameters: dict
    status: int
    body: object


@cache
def all_cases() -> tuple[StaticCase, ...]:
    cases = []
    for op in modelspec.operations():
        for status, response in op.spec["responses"].items():
            for case in response.get("x-amzn-api-sandbox", {}).get("static", []):
                # a parameter listed without "value" (listings' `"body": {}`) matches anything
                params = {k: v["value"] for k, v in case["request"].get("parameters", {}).items() if "value" in v}
                cases.append(StaticCase(op, params, int(status), case.get("response")))  # 204s have none
    return tuple(sorted(cases, key=lambda c: -len(c.parameters)))


def _sent_value(op: modelspec.Operation, name: str, request, path_params: dict):
    if name in path_params:
        return path_params[name]
    if name == "body":
        try:
            return json.loads(request.get_data(as_text=True) or "null")
        except ValueError:
            return None
    declared = next((p for p in op.spec.get("parameters", []) if p.get("name") == name), {})
    return csv_list(request, name) if declared.get("type") == "array" else request.args.get(name)


def answer(request) -> Reply:
    method, path = request.method, request.path
    operations = [op for op in modelspec.operations() if op.method == method]
    for op in operations:
        match = router.path_pattern(op.path).match(path)
        if not match:
            continue
        for case in (c for c in all_cases() if c.operation == op):
            if all(_sent_value(op, k, request, match.groupdict()) == v for k, v in case.parameters.items()):
                return Reply(case.status, case.body)
        return sp_error(400, "InvalidInput", "Could not match input arguments with any static sandbox case.",
                        f"operation {op.operation_id}")
    return sp_error(404, "NotFound", "Resource not found.")
