"""Tokens API 2021-03-01: Restricted Data Tokens, scoped to the resources asked for.

A resource path may be concrete (`/fba/outbound/brazil/v0/shipments/X1`) or generic
(`.../shipments/{shipmentId}`), as Amazon allows; it must name a restricted operation.
"""

import re

from . import credentials, router
from .router import sp_operation
from .web import ApiError, Call, Reply, json_body

MODEL = "tokens_2021-03-01.json"
METHODS = {"GET", "PUT", "POST", "DELETE"}
MAX_RESOURCES = 50


def _bad_request(details: str) -> ApiError:
    return ApiError(400, "InvalidRequest", "Request is missing or has invalid parameters", details)


def resource_pattern(path: str) -> re.Pattern:
    return router.path_pattern(path)


def covers(rdt: dict, method: str, path: str) -> bool:
    return any(r["method"] == method and resource_pattern(r["path"]).match(path) for r in rdt["data"]["resources"])


def _restricted_route(method: str, path: str) -> bool:
    concrete = re.sub(r"\{\w+\}", "X", path)  # a generic path matches like any concrete id
    route, _ = router.resolve(method, concrete)
    return bool(route and route.restricted)


def _check_resource(resource: object) -> dict:
    if not isinstance(resource, dict) or not resource.get("method") or not resource.get("path"):
        raise _bad_request("Resource not provided.")
    method, path = resource["method"], resource["path"]
    if method not in METHODS:
        raise _bad_request(f"Invalid method '{method}'.")
    if resource.get("dataElements"):
        raise _bad_request("dataElements are only valid for Orders API v0 resources.")
    if not path.startswith("/") or not _restricted_route(method, path):
        raise _bad_request(f"'{method} {path}' is not a restricted resource.")
    return {"method": method, "path": path}


@sp_operation(MODEL, "createRestrictedDataToken")
def create_restricted_data_token(call: Call) -> Reply:
    body = json_body(call.request)
    resources = body.get("restrictedResources")
    if not isinstance(resources, list) or not resources:
        raise _bad_request("restrictedResources is required.")
    if len(resources) > MAX_RESOURCES:
        raise _bad_request(f"At most {MAX_RESOURCES} restrictedResources are allowed.")
    checked = [_check_resource(r) for r in resources]
    token = credentials.issue(call.store, "rdt", call.seller_id, data={"resources": checked})
    return Reply(200, {"restrictedDataToken": token, "expiresIn": credentials.RDT_TTL})
