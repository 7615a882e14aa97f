"""Listings Items 2021-08-01, Reports 2021-06-30 and Product Type Definitions 2020-09-01 as typed
functions over `SpApiClient` (paths and parameters from the official models in reference/sp-api/)."""

from dataclasses import dataclass, field
from urllib.parse import quote

from django.conf import settings

from .. import ratelimit
from ..client import SpApiClient
from ..http import error_from, send

LISTINGS = "/listings/2021-08-01/items"
REPORTS = "/reports/2021-06-30"
DEFINITIONS = "/definitions/2020-09-01/productTypes"
DETAIL_DATA = "summaries,offers,fulfillmentAvailability,issues"

# Usage plans of the operations below, from each model's "Usage Plan" table (rate req/s, burst).
ratelimit.USAGE_PLANS.update({
    "getListingsItem": (5.0, 10), "putListingsItem": (5.0, 10), "patchListingsItem": (5.0, 5),
    "deleteListingsItem": (5.0, 5), "searchListingsItems": (5.0, 5),
    "createReport": (0.0167, 15), "getReport": (2.0, 15), "getReportDocument": (0.0167, 15),
    "getDefinitionsProductType": (5.0, 10),
})


@dataclass(frozen=True)
class Submission:
    """Amazon's ListingsItemSubmissionResponse: ACCEPTED, VALID or INVALID, with its issues."""

    sku: str
    status: str
    submission_id: str
    issues: list[dict] = field(default_factory=list)

    @property
    def errors(self) -> list[dict]:
        return [i for i in self.issues if i.get("severity") == "ERROR"]

    @classmethod
    def of(cls, body: dict) -> "Submission":
        return cls(body.get("sku", ""), body.get("status", ""), body.get("submissionId", ""), body.get("issues") or [])


def selling_partner_id(client: SpApiClient) -> str:
    return client.authorization.selling_partner_id


def _item_path(client: SpApiClient, sku: str) -> str:
    return f"{LISTINGS}/{quote(selling_partner_id(client), safe='')}/{quote(sku, safe='')}"


def _market(**extra) -> dict:
    return {"marketplaceIds": settings.SP_API_MARKETPLACE_ID, "issueLocale": "pt_BR", **extra}


def get_listings_item(client: SpApiClient, sku: str, *, included: str = DETAIL_DATA) -> dict:
    return client.call("getListingsItem", "GET", _item_path(client, sku), params=_market(includedData=included))


def put_listings_item(client: SpApiClient, sku: str, body: dict, *, preview: bool) -> Submission:
    params = _market(mode="VALIDATION_PREVIEW") if preview else _market()
    return Submission.of(client.call("putListingsItem", "PUT", _item_path(client, sku), params=params, json=body))


def patch_listings_item(client: SpApiClient, sku: str, product_type: str, patches: list[dict], *,
                        preview: bool = False) -> Submission:
    params = _market(mode="VALIDATION_PREVIEW") if preview else _market()
    body = {"productType": product_type, "patches": patches}
    return Submission.of(client.call("patchListingsItem", "PATCH", _item_path(client, sku), params=params, json=body))


def delete_listings_item(client: SpApiClient, sku: str) -> Submission:
    return Submission.of(client.call("deleteListingsItem", "DELETE", _item_path(client, sku), params=_market()))


def create_report(client: SpApiClient, report_type: str) -> str:
    body = client.call("createReport", "POST", f"{REPORTS}/reports",
                       json={"reportType": report_type, "marketplaceIds": [settings.SP_API_MARKETPLACE_ID]})
    return body["reportId"]


def get_report(client: SpApiClient, report_id: str) -> dict:
    return client.call("getReport", "GET", f"{REPORTS}/reports/{quote(report_id, safe='')}")


def get_report_document(client: SpApiClient, document_id: str) -> dict:
    return client.call("getReportDocument", "GET", f"{REPORTS}/documents/{quote(document_id, safe='')}")


def get_product_type_definition(client: SpApiClient, product_type: str, *, requirements: str) -> dict:
    params = {"marketplaceIds": settings.SP_API_MARKETPLACE_ID, "sellerId": selling_partner_id(client),
              "requirements": requirements, "locale": "pt_BR"}
    return client.call("getDefinitionsProductType", "GET", f"{DEFINITIONS}/{quote(product_type, safe='')}",
                       params=params)


def fetch_link(link: dict) -> dict:
    """A schema behind a definition's pre-signed link (no SP-API token: the URL is the credential)."""
    response = send(link.get("verb", "GET"), link["resource"])
    if response.status_code >= 400:
        raise error_from(response)
    return response.json()
