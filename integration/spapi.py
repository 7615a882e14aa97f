"""The SP-API operations we use, as typed functions over `SpApiClient`, returning small dataclasses.

Paths and parameters follow the official models in `reference/sp-api/` (Orders 2026-01-01, Tokens
2021-03-01, Shipment Invoicing v0, Delivery Shipment Invoicing 2022-07-01, Sellers v1).
"""

import base64
import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import quote

from django.conf import settings

from .client import SpApiClient

ORDERS = "/orders/2026-01-01/orders"
SHIPMENTS = "/fba/outbound/brazil/v0/shipments"
DELIVERY_INVOICE = "/delivery/2022-07-01/invoice"
# Every dataset the NF-e needs, in one call (the model's includedData enum).
ORDER_DATA = ("BUYER", "RECIPIENT", "PROCEEDS", "PROMOTION", "CANCELLATION", "FULFILLMENT", "TAX", "PAYMENT")


@dataclass(frozen=True)
class OrdersPage:
    orders: list[dict]
    next_token: str
    last_updated_before: str


@dataclass(frozen=True)
class ShipmentDetail:
    shipment_id: str
    order_id: str
    payload: dict = field(repr=False)


@dataclass(frozen=True)
class InvoiceUpload:
    content: str  # Base64 of the XML bytes
    md5: str  # Base64 of the 16-byte MD5 of the same bytes (the doc's sample, not hex)

    @classmethod
    def of(cls, xml: bytes) -> "InvoiceUpload":
        digest = hashlib.md5(xml).digest()  # noqa: S324 - the digest Amazon's protocol asks for
        return cls(base64.b64encode(xml).decode(), base64.b64encode(digest).decode())


@dataclass(frozen=True)
class InvoiceStatus:
    status: str  # Processing | Accepted | Errored | NotFound
    shipment_id: str = ""


@dataclass(frozen=True)
class Participation:
    marketplace_id: str
    name: str
    store_name: str
    participating: bool


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def search_orders(client: SpApiClient, *, after: datetime, before: datetime, token: str = "",
                  page_size: int = 100) -> OrdersPage:
    params = {"lastUpdatedAfter": _iso(after), "lastUpdatedBefore": _iso(before),
              "marketplaceIds": settings.SP_API_MARKETPLACE_ID, "maxResultsPerPage": page_size,
              "includedData": ",".join(ORDER_DATA)}
    if token:
        params["paginationToken"] = token  # the other filters repeat unchanged, as the model requires
    body = client.call("searchOrders", "GET", ORDERS, params=params)
    return OrdersPage(body.get("orders", []), (body.get("pagination") or {}).get("nextToken", ""),
                      body.get("lastUpdatedBefore", ""))


def get_order(client: SpApiClient, order_id: str) -> dict:
    body = client.call("getOrder", "GET", f"{ORDERS}/{quote(order_id)}", params={"includedData": ",".join(ORDER_DATA)})
    return body["order"]


def get_shipment_details(client: SpApiClient, shipment_id: str) -> ShipmentDetail:
    """Restricted operation: called with an RDT for this very path."""
    body = client.call("getShipmentDetails", "GET", f"{SHIPMENTS}/{quote(shipment_id)}", restricted=True)
    payload = body.get("payload") or {}
    return ShipmentDetail(payload.get("AmazonShipmentId", shipment_id), payload.get("AmazonOrderId", ""), payload)


def submit_invoice(client: SpApiClient, shipment_id: str, upload: InvoiceUpload) -> None:
    client.call("submitInvoice", "POST", f"{SHIPMENTS}/{quote(shipment_id)}/invoice", json={
        "InvoiceContent": upload.content, "ContentMD5Value": upload.md5,
        "MarketplaceId": settings.SP_API_MARKETPLACE_ID,
    })


def get_invoice_status(client: SpApiClient, shipment_id: str) -> InvoiceStatus:
    body = client.call("getInvoiceStatus", "GET", f"{SHIPMENTS}/{quote(shipment_id)}/invoice/status")
    shipments = (body.get("payload") or {}).get("Shipments") or {}  # an object, not a list, in the model
    return InvoiceStatus(shipments.get("InvoiceStatus", "NotFound"), shipments.get("AmazonShipmentId", shipment_id))


def _delivery_params(order_id: str) -> dict:
    return {"orderId": order_id, "marketplaceId": settings.SP_API_MARKETPLACE_ID,
            "invoiceType": "Outbound", "programType": "FbaOnSite"}


def delivery_submit_invoice(client: SpApiClient, order_id: str, upload: InvoiceUpload) -> None:
    """Delivery by Amazon 2022-07-01 upload by order id: the fallback when no shipment id arrived."""
    params = _delivery_params(order_id)
    client.call("deliverySubmitInvoice", "POST", DELIVERY_INVOICE, params={"orderId": order_id}, json={
        "invoiceContent": upload.content, "contentMD5Value": upload.md5, "invoiceType": params["invoiceType"],
        "programType": params["programType"], "marketplaceId": params["marketplaceId"],
    })


def delivery_invoice_status(client: SpApiClient, order_id: str) -> InvoiceStatus:
    body = client.call("deliveryGetInvoiceStatus", "GET", f"{DELIVERY_INVOICE}/status", params=_delivery_params(order_id))
    return InvoiceStatus(body.get("invoiceStatus", "NotFound"), body.get("amazonShipmentId", ""))


def get_marketplace_participations(client: SpApiClient) -> list[Participation]:
    body = client.call("getMarketplaceParticipations", "GET", "/sellers/v1/marketplaceParticipations")
    return [
        Participation(
            (p.get("marketplace") or {}).get("id", ""), (p.get("marketplace") or {}).get("name", ""),
            p.get("storeName", ""), bool((p.get("participation") or {}).get("isParticipating")),
        )
        for p in body.get("payload", [])
    ]
