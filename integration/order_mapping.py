"""Orders API v2026-01-01 JSON -> the fields of `orders.Order` and `orders.OrderItem`. Pure functions.

Brazilian data: buyer CPF/CNPJ and legal name from `tax.taxRegistrations` (entityType BUYER), the
marketplace CNPJ for the NF-e intermediary group (entityType MARKETPLACE, else AMAZON_MARKETPLACE_CNPJ),
payment executions (acquirer CNPJ, card brand, authorization code), the address `extendedFields`.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from orders.models import Order

from . import conf

CENT = Decimal("0.01")
IE_KEYS = {"IE", "STATE_REGISTRATION", "STATE_TAX_ID", "INSCRICAO_ESTADUAL"}


def money(value) -> Decimal:
    """Decimal rounded half-up to cents, as the NF-e manual does; junk reads as zero."""
    try:
        return Decimal(str(value if value not in (None, "") else "0")).quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return Decimal("0.00")


def document(value: str | None) -> str:
    """CPF/CNPJ without punctuation; letters kept for the alphanumeric CNPJ (2026)."""
    return re.sub(r"[^0-9A-Z]", "", (value or "").upper())


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


@dataclass
class MappedItem:
    order_item_id: str
    sku: str
    asin: str
    title: str
    quantity: int
    item_price: Decimal
    shipping_price: Decimal
    discount: Decimal


@dataclass
class MappedOrder:
    amazon_order_id: str
    last_update_date: datetime
    fields: dict
    items: list[MappedItem] = field(default_factory=list)

    @property
    def is_cancelled(self) -> bool:
        return self.fields["amazon_status"] in Order.CANCELLED_STATUSES


def map_order(raw: dict) -> MappedOrder:
    fields = {
        "amazon_status": (raw.get("fulfillment") or {}).get("fulfillmentStatus", "PENDING"),
        "is_fba_onsite": (raw.get("fulfillment") or {}).get("fulfilledBy", "AMAZON") != "MERCHANT",
        "purchase_date": parse_time(raw["createdTime"]),
        "last_update_date": parse_time(raw["lastUpdatedTime"]),
        "order_total": money(((raw.get("proceeds") or {}).get("grandTotal") or {}).get("amount")),
        "currency": ((raw.get("proceeds") or {}).get("grandTotal") or {}).get("currencyCode", "BRL"),
        "payments": payments(raw),
        "marketplace_cnpj": marketplace_cnpj(raw),
        **buyer_fields(raw),
        **address_fields(raw),
    }
    items = [map_item(item) for item in raw.get("orderItems", [])]
    return MappedOrder(raw["orderId"], fields["last_update_date"], fields, items)


def _registrations(raw: dict, entity: str) -> list[dict]:
    return [r for r in (raw.get("tax") or {}).get("taxRegistrations", []) if r.get("entityType") == entity]


def buyer_fields(raw: dict) -> dict:
    buyer = raw.get("buyer") or {}
    registration = next((r for r in _registrations(raw, "BUYER") if r.get("taxRegistrationType") in ("CPF", "CNPJ")),
                        None) or {}
    address = (raw.get("recipient") or {}).get("deliveryAddress") or {}
    name = registration.get("legalName") or buyer.get("buyerCompanyName") or buyer.get("buyerName") or address.get("name")
    return {
        "buyer_name": (name or "")[:120],
        "buyer_document": document(registration.get("taxRegistrationNumber"))[:14],
        "buyer_email": (buyer.get("buyerEmail") or "")[:120],
        "buyer_phone": re.sub(r"\D", "", address.get("phone") or "")[:20],
        **state_registration(_registrations(raw, "BUYER")),
    }


def state_registration(registrations: list[dict]) -> dict:
    """indIEDest: 1 with the IE when the buyer has one, 2 when exempt, 9 otherwise (consumers)."""
    for registration in registrations:
        for attribute in registration.get("taxRegistrationAttributes") or []:
            if (attribute.get("key") or "").upper() in IE_KEYS and attribute.get("value"):
                value = attribute["value"].upper()
                if value.startswith("ISENT"):
                    return {"buyer_ie": "", "buyer_ie_indicator": Order.BuyerIeIndicator.ISENTO}
                return {"buyer_ie": re.sub(r"\D", "", value)[:14], "buyer_ie_indicator": Order.BuyerIeIndicator.CONTRIBUINTE}
    return {"buyer_ie": "", "buyer_ie_indicator": Order.BuyerIeIndicator.NAO_CONTRIBUINTE}


def marketplace_cnpj(raw: dict) -> str:
    for registration in _registrations(raw, "MARKETPLACE"):
        number = document(registration.get("taxRegistrationNumber"))
        if registration.get("taxRegistrationType") == "CNPJ" and len(number) == 14:
            return number
    return conf.get("AMAZON_MARKETPLACE_CNPJ")  # a truncated or missing CNPJ is no use to the NF-e


def payments(raw: dict) -> list[dict]:
    return [
        {
            "method": execution.get("paymentMethod", ""),
            "amount": str(money((execution.get("paymentAmount") or {}).get("amount"))),
            "acquirer_cnpj": document(execution.get("acquirerId")),
            "card_brand": execution.get("cardBrand", ""),
            "authorization_code": execution.get("authorizationCode", ""),
        }
        for execution in (raw.get("payment") or {}).get("paymentExecutions", [])
    ]


def address_fields(raw: dict) -> dict:
    address = (raw.get("recipient") or {}).get("deliveryAddress") or {}
    if not address:
        return {"raw_address": {}}
    parsed = _parse_address(address)
    if parsed is not None:
        return {"raw_address": address, **{k: (getattr(parsed, k) or "")[:limit] for k, limit in ADDRESS_LIMITS.items()}}
    extended = address.get("extendedFields") or {}
    simple = {
        "street": extended.get("streetName") or address.get("addressLine1", ""),
        "number": extended.get("streetNumber", ""), "complement": extended.get("complement", ""),
        "district": extended.get("neighborhood") or address.get("districtOrCounty", ""),
        "city_name": address.get("city") or address.get("municipality", ""), "city_code": "",
        "uf": (address.get("stateOrRegion") or "")[:2].upper(), "cep": re.sub(r"\D", "", address.get("postalCode") or ""),
    }
    return {"raw_address": address, **{k: (v or "")[:ADDRESS_LIMITS[k]] for k, v in simple.items()}}


ADDRESS_LIMITS = {"street": 120, "number": 60, "complement": 120, "district": 120, "city_name": 120,
                  "city_code": 7, "uf": 2, "cep": 8}


def _parse_address(address: dict):
    try:  # written in parallel by the orders engineer; the simple mapping stands in until it lands
        from orders.address import parse_amazon_address
    except ImportError:
        return None
    return parse_amazon_address(address)


def map_item(item: dict) -> MappedItem:
    product = item.get("product") or {}
    quantity = int(item.get("quantityOrdered") or 0)
    parts = _proceeds(item)
    unit = money(((product.get("price") or {}).get("unitPrice") or {}).get("amount"))
    discount = abs(parts.get("DISCOUNT", Decimal("0")))
    return MappedItem(
        order_item_id=str(item["orderItemId"]), sku=(product.get("sellerSku") or "")[:60],
        asin=(product.get("asin") or "")[:10], title=(product.get("title") or "")[:250], quantity=quantity,
        item_price=parts.get("ITEM", money(unit * quantity)), shipping_price=parts.get("SHIPPING", Decimal("0.00")),
        discount=money(discount),
    )


def _proceeds(item: dict) -> dict[str, Decimal]:
    """ITEM/SHIPPING/DISCOUNT totals of the line from `proceeds.breakdowns`."""
    totals: dict[str, Decimal] = {}
    for breakdown in (item.get("proceeds") or {}).get("breakdowns") or []:
        kind = breakdown.get("type", "")
        totals[kind] = totals.get(kind, Decimal("0")) + money((breakdown.get("subtotal") or {}).get("amount"))
    return totals
