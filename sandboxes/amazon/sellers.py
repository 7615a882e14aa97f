"""Sellers API v1: getMarketplaceParticipations, the cheap "test connection" call."""

from .router import sp_operation
from .scenario import BRAZIL
from .web import Call, Reply

MODEL = "sellers.json"
BRAZIL_MARKETPLACE = {
    "id": BRAZIL, "countryCode": "BR", "name": "Amazon.com.br", "defaultCurrencyCode": "BRL",
    "defaultLanguageCode": "pt_BR", "domainName": "www.amazon.com.br",
}


def participations(seller: dict) -> list[dict]:
    """The scenario's list, or Brazil only under the seller's store name."""
    return seller.get("marketplaceParticipations") or [{
        "marketplace": BRAZIL_MARKETPLACE,
        "storeName": seller.get("storeName", "Sandbox store"),
        "participation": {"isParticipating": True, "hasSuspendedListings": False},
    }]


@sp_operation(MODEL, "getMarketplaceParticipations")
def get_marketplace_participations(call: Call) -> Reply:
    seller = call.store.one("SELECT body FROM sellers WHERE seller_id = ?", call.seller_id)
    return Reply(200, {"payload": participations(seller["body"])})
