"""Product Type Definitions API 2020-09-01 for two product types, and the validation
`putListingsItem` runs against them.

`getDefinitionsProductType` answers with links to a JSON Schema shaped like Amazon's
meta-schema documents (served by the sandbox under `/_sandbox/schemas/`); its `required`
list depends on `requirements` (LISTING or LISTING_OFFER_ONLY), as Amazon's does.
"""

import base64
import hashlib
import json

from .router import sp_operation
from .web import ApiError, Call, Reply, csv_list, invalid_input

MODEL = "definitionsProductTypes_2020-09-01.json"
META_SCHEMA = "https://schemas.amazon.com/selling-partners/definitions/product-types/meta-schema/v1"
VERSION = "U1234567-0000-0000-0000-000000000001"
OFFER = ("merchant_suggested_asin", "condition_type", "purchasable_offer", "fulfillment_availability")
# productType -> (display name, extra attributes required for an offer, extra for a full listing)
PRODUCT_TYPES = {
    "HOME": ("Casa", (), ("item_name", "brand", "product_description")),
    "KITCHEN": ("Cozinha", ("supplier_declared_dg_hz_regulation",),
                ("item_name", "brand", "product_description", "material")),
}
TITLES = {
    "merchant_suggested_asin": "Merchant Suggested ASIN", "condition_type": "Condition",
    "purchasable_offer": "Offer", "fulfillment_availability": "Fulfillment Availability",
    "supplier_declared_dg_hz_regulation": "Dangerous Goods Regulations", "item_name": "Item Name",
    "brand": "Brand Name", "product_description": "Product Description", "material": "Material",
}


def required(product_type: str, requirements: str) -> list[str]:
    _, offer_extra, listing_extra = PRODUCT_TYPES[product_type]
    names = list(OFFER) + list(offer_extra)
    if requirements == "LISTING":
        names += list(listing_extra)
    return names


def schema_document(product_type: str, requirements: str) -> dict:
    names = required(product_type, requirements) + [n for n in TITLES if n not in required(product_type, requirements)]
    return {
        "$schema": META_SCHEMA,
        "$id": f"https://schemas.amazon.com/selling-partners/definitions/product-types/schema/v1/{product_type}",
        "$comment": f"Amazon product type definition for {product_type} (sandbox)",
        "type": "object",
        "required": required(product_type, requirements),
        "properties": {name: {"title": TITLES.get(name, name), "type": "array", "minItems": 1,
                              "items": {"type": "object"}} for name in names if name in TITLES},
    }


def _link(url: str, document: dict) -> dict:
    digest = hashlib.md5(json.dumps(document, sort_keys=True).encode()).digest()  # noqa: S324 - checksum only
    return {"link": {"resource": url, "verb": "GET"}, "checksum": base64.b64encode(digest).decode()}


@sp_operation(MODEL, "getDefinitionsProductType")
def get_definitions_product_type(call: Call) -> Reply:
    product_type = call.params["productType"]
    if not csv_list(call.request, "marketplaceIds"):
        raise invalid_input("Missing required parameter: marketplaceIds.")
    if product_type not in PRODUCT_TYPES:
        raise ApiError(404, "NOT_FOUND", f"Product type '{product_type}' not found.")
    requirements = call.request.args.get("requirements", "LISTING")
    if requirements not in ("LISTING", "LISTING_OFFER_ONLY", "LISTING_PRODUCT_ONLY"):
        raise invalid_input(f"Invalid requirements '{requirements}'.")
    base = call.request.host_url.rstrip("/")
    url = f"{base}/_sandbox/schemas/{product_type}?requirements={requirements}"
    return Reply(200, {
        "metaSchema": _link(f"{base}/_sandbox/schemas/meta-schema", {"$id": META_SCHEMA}),
        "schema": _link(url, schema_document(product_type, requirements)),
        "requirements": requirements, "requirementsEnforced": "ENFORCED",
        "propertyGroups": {"offer": {"title": "Offer", "propertyNames": list(OFFER)}},
        "locale": call.request.args.get("locale", "pt_BR"), "marketplaceIds": csv_list(call.request, "marketplaceIds"),
        "productType": product_type, "displayName": PRODUCT_TYPES[product_type][0],
        "productTypeVersion": {"version": VERSION, "latest": True, "releaseCandidate": False},
    })


def issue(code: str, message: str, attribute: str, category: str) -> dict:
    return {"code": code, "message": message, "severity": "ERROR", "attributeNames": [attribute],
            "categories": [category]}


def validate(product_type: str, requirements: str, attributes: dict) -> list[dict]:
    """Amazon's issues for a put: 90220 per missing required attribute, then value checks."""
    if product_type not in PRODUCT_TYPES:
        raise invalid_input(f"Product type '{product_type}' is not valid for marketplace A2Q3Y263D00KWC.")
    missing = [name for name in required(product_type, requirements) if not attributes.get(name)]
    return [issue("90220", f"'{name}' is required but not supplied.", name, "MISSING_ATTRIBUTE")
            for name in missing] + validate_values(attributes)


def validate_values(attributes: dict) -> list[dict]:
    issues = []
    for offer in attributes.get("purchasable_offer", []):
        for price in offer.get("our_price", []):
            for entry in price.get("schedule", []):
                if not isinstance(entry.get("value_with_tax"), (int, float)) or entry["value_with_tax"] <= 0:
                    issues.append(issue("90000900", "The attributes are invalid.", "purchasable_offer",
                                        "INVALID_ATTRIBUTE"))
    for channel in attributes.get("fulfillment_availability", []):
        quantity = channel.get("quantity")
        if not channel.get("fulfillment_channel_code") or (quantity is not None and (
                not isinstance(quantity, int) or quantity < 0)):
            issues.append(issue("90000900", "The attributes are invalid.", "fulfillment_availability",
                                "INVALID_ATTRIBUTE"))
    return issues
