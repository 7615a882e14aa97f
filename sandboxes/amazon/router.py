"""The route table. A module adds an SP-API operation with `@sp_operation(model, operationId)`;
method and path are read from the official model, so they cannot drift from Amazon's.

Modules holding handlers are listed in `HANDLER_MODULES`; a new API (Listings, Reports)
is one new module and one line there.
"""

import importlib
import re
from dataclasses import dataclass
from typing import Callable

from . import modelspec

HANDLER_MODULES = ("orders", "tokens", "invoicing", "sellers", "listings", "reports", "product_types")


@dataclass(frozen=True)
class Route:
    operation: modelspec.Operation
    pattern: re.Pattern
    handler: Callable
    restricted: bool  # needs a Restricted Data Token covering the path


ROUTES: list[Route] = []


def path_pattern(template: str) -> re.Pattern:
    """`/a/{id}/b` -> regex with a named group per placeholder."""
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>[^/]+)" for i, p in enumerate(parts))
    return re.compile(f"^{regex}$")


def sp_operation(model: str, operation_id: str, *, restricted: bool = False):
    def register(handler: Callable) -> Callable:
        op = modelspec.operation(model, operation_id)
        ROUTES.append(Route(op, path_pattern(op.path), handler, restricted))
        return handler

    return register


def load_handlers() -> None:
    for name in HANDLER_MODULES:
        importlib.import_module(f"{__package__}.{name}")


def resolve(method: str, path: str) -> tuple[Route | None, dict]:
    """The route for the request and its path parameters; (None, {}) when nothing matches."""
    for route in ROUTES:
        match = route.pattern.match(path)
        if match and route.operation.method == method:
            return route, match.groupdict()
    return None, {}
