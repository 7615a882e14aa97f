"""Brazil invoice upload: Shipment Invoicing v0 (by shipment) and Delivery Shipment
Invoicing 2022-07-01 (by order or shipment, `programType=FbaOnSite`).

Both take Base64 XML plus the Base64 MD5 of the XML bytes; a mismatching digest, bytes that
are not an authorised NF-e, or an NF-e for another order answer 400 at once. The rest of
Amazon's validation happens later and shows up as status Errored.
"""

import base64
import binascii
import hashlib

from . import invoice_state, nfe_xml
from .router import sp_operation
from .scenario import BRAZIL
from .web import ApiError, Call, Reply, invalid_input, json_body

V0 = "shipmentInvoicingV0.json"
DELIVERY = "deliveryShipmentInvoiceV2022-07-01.json"
PROGRAM_TYPES = {"EasyShip", "FbaOnSite", "SelfShip"}
INVOICE_TYPES = {"Outbound"}


def _shipment(call: Call, shipment_id: str) -> dict:
    row = call.store.one("SELECT * FROM shipments WHERE shipment_id = ? AND seller_id = ?", shipment_id, call.seller_id)
    if not row:  # same answer as the model's sandbox case for a bad id
        raise ApiError(400, "InvalidInput", "Invalid Shipment ID", f"'{shipment_id}' is an invalid ShipmentID")
    return row


def decode_upload(content: object, md5: object) -> tuple[bytes, str]:
    if not isinstance(content, str) or not isinstance(md5, str):
        raise invalid_input("InvoiceContent and ContentMD5Value must be strings.")
    try:
        xml = base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise invalid_input("InvoiceContent fails encoding: it is not valid Base64.") from exc
    expected = base64.b64encode(hashlib.md5(xml).digest()).decode()  # noqa: S324 - protocol-mandated digest
    if md5 != expected:
        raise invalid_input("ContentMD5Value does not match the Base64-encoded MD5 digest of the decoded InvoiceContent.")
    return xml, md5


def accept_upload(call: Call, shipment: dict, *, api: str, content: object, md5: object) -> Reply:
    if shipment["status"] == "Cancelled":
        raise invalid_input(f"Shipment '{shipment['shipment_id']}' is cancelled; no invoice can be submitted.")
    if invoice_state.status(call.store, shipment["shipment_id"]) == "Accepted":
        raise invalid_input(f"An invoice was already accepted for shipment '{shipment['shipment_id']}'.")
    xml, digest = decode_upload(content, md5)
    try:
        nfe = nfe_xml.read_authorised(xml, shipment["order_id"])
    except nfe_xml.InvoiceRejected as exc:
        raise invalid_input(str(exc), message="Invalid invoice") from exc
    problems = nfe_xml.validation_errors(
        nfe, seller_cnpj=_seller_cnpj(call), marketplace_cnpj=_marketplace_cnpj(call, shipment)
    )
    invoice_state.record(call.store, shipment, api=api, xml=xml, md5=digest, access_key=nfe.access_key, problems=problems)
    return Reply(200, {})


def _seller_cnpj(call: Call) -> str | None:
    seller = call.store.one("SELECT body FROM sellers WHERE seller_id = ?", call.seller_id)
    return seller["body"].get("cnpj")


def _marketplace_cnpj(call: Call, shipment: dict) -> str | None:
    tax = shipment["body"].get("MarketplaceTaxInfo", {}).get("TaxClassifications", [])
    from_shipment = next((c.get("Value") for c in tax if c.get("Name") == "CNPJ"), None)
    return from_shipment or call.store.get_meta("marketplace", {}).get("cnpj")


# --- Shipment Invoicing v0 ---

@sp_operation(V0, "getShipmentDetails", restricted=True)
def get_shipment_details(call: Call) -> Reply:
    return Reply(200, {"payload": _shipment(call, call.params["shipmentId"])["body"]})


@sp_operation(V0, "submitInvoice")
def submit_invoice_v0(call: Call) -> Reply:
    shipment = _shipment(call, call.params["shipmentId"])
    body = json_body(call.request)
    missing = [k for k in ("InvoiceContent", "ContentMD5Value") if k not in body]
    if missing:
        raise invalid_input(f"Missing required field(s): {', '.join(missing)}.")
    marketplace = body.get("MarketplaceId")
    if marketplace is not None and marketplace != shipment["body"].get("MarketplaceId", BRAZIL):
        raise invalid_input(f"MarketplaceId '{marketplace}' does not match the shipment's marketplace.")
    return accept_upload(call, shipment, api="shipmentInvoicingV0", content=body["InvoiceContent"],
                         md5=body["ContentMD5Value"])


@sp_operation(V0, "getInvoiceStatus")
def get_invoice_status_v0(call: Call) -> Reply:
    shipment = _shipment(call, call.params["shipmentId"])
    status = invoice_state.status(call.store, shipment["shipment_id"])
    return Reply(200, {"payload": {"Shipments": {"AmazonShipmentId": shipment["shipment_id"], "InvoiceStatus": status}}})


# --- Delivery Shipment Invoicing 2022-07-01 ---

def _delivery_shipment(call: Call, args) -> dict:
    """orderId wins over shipmentId, as the model documents."""
    order_id, shipment_id = args.get("orderId"), args.get("shipmentId")
    if order_id:
        row = call.store.one("SELECT * FROM shipments WHERE order_id = ? AND seller_id = ? ORDER BY shipment_id LIMIT 1",
                             order_id, call.seller_id)
        if not row:
            raise ApiError(400, "EntityNotFound", f"Entity (OrderId, {order_id}) was not found")
        return row
    if shipment_id:
        row = call.store.one("SELECT * FROM shipments WHERE shipment_id = ? AND seller_id = ?", shipment_id, call.seller_id)
        if not row:
            raise ApiError(400, "EntityNotFound", f"Entity (ShipmentId, {shipment_id}) was not found")
        return row
    raise invalid_input("Either orderId or shipmentId must be provided.")


def _check_program(values: dict) -> None:
    checks = (("invoiceType", INVOICE_TYPES), ("programType", PROGRAM_TYPES), ("marketplaceId", {BRAZIL}))
    for name, allowed in checks:
        if values.get(name) not in allowed:
            raise invalid_input(f"Invalid {name} '{values.get(name)}'. Allowed: {', '.join(sorted(allowed))}.")
    if values["programType"] != "FbaOnSite":  # every sandbox shipment is an FBA Onsite shipment
        raise invalid_input(f"programType '{values['programType']}' does not match this order's program (FbaOnSite).")


@sp_operation(DELIVERY, "submitInvoice")
def submit_invoice_delivery(call: Call) -> Reply:
    body = json_body(call.request)
    missing = [k for k in ("invoiceContent", "contentMD5Value", "invoiceType", "programType", "marketplaceId") if k not in body]
    if missing:
        raise invalid_input(f"Missing required field(s): {', '.join(missing)}.")
    shipment = _delivery_shipment(call, call.request.args)
    _check_program(body)
    return accept_upload(call, shipment, api="delivery2022-07-01", content=body["invoiceContent"],
                         md5=body["contentMD5Value"])


@sp_operation(DELIVERY, "getInvoiceStatus")
def get_invoice_status_delivery(call: Call) -> Reply:
    args = call.request.args
    missing = [k for k in ("marketplaceId", "invoiceType", "programType") if not args.get(k)]
    if missing:
        raise invalid_input(f"Missing required parameter(s): {', '.join(missing)}.")
    shipment = _delivery_shipment(call, args)
    _check_program(args)
    return Reply(200, {
        "amazonOrderId": shipment["order_id"],
        "amazonShipmentId": shipment["shipment_id"],
        "invoiceStatus": invoice_state.status(call.store, shipment["shipment_id"]),
    })
