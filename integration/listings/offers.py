"""Create and manage FBA Onsite offers without ever creating a hybrid.

Rule that shapes everything here: an FBA Onsite SKU never receives a quantity. Seller Flex owns that
stock, and Amazon answers a `DEFAULT` quantity on such a SKU by adding a merchant-fulfilled offer next to
the Amazon one (a hybrid). So creation sends the Amazon channel without quantity, and `update_quantity`
re-reads the SKU's channels from Amazon and refuses if any is Amazon-fulfilled.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from products.models import Offer, Product

from ..client import SpApiClient
from . import api
from .issues_pt import explain_all
from .sync import apply_item, is_amazon_channel, money

FBA_ONSITE_CHANNEL = getattr(settings, "LISTINGS_FBA_CHANNEL_CODE", "AMAZON_NA")  # Brazil's code is unpublished
DEFAULT_PRODUCT_TYPE = getattr(settings, "LISTINGS_DEFAULT_PRODUCT_TYPE", "HOME")
OFFER_ONLY = "LISTING_OFFER_ONLY"  # an offer on an existing ASIN: no product data of ours is sent


class HybridRiskError(Exception):
    """The change would give an FBA Onsite SKU a merchant-fulfilled twin; nothing was sent."""


class ListingRejected(Exception):
    def __init__(self, submission: api.Submission):
        self.submission = submission
        super().__init__("; ".join(i["explanation"] for i in explain_all(submission.issues)) or submission.status)


@dataclass(frozen=True)
class OfferResult:
    sku: str
    status: str  # VALID / INVALID (preview only), ACCEPTED / INVALID (submitted)
    submitted: bool
    preview_issues: list[dict] = field(default_factory=list)
    issues: list[dict] = field(default_factory=list)


def required_attributes(client: SpApiClient, product_type: str) -> list[str]:
    """The `required` list of the product type's JSON Schema (Product Type Definitions API)."""
    definition = api.get_product_type_definition(client, product_type, requirements=OFFER_ONLY)
    return list(api.fetch_link(definition["schema"]["link"]).get("required", []))


def _offer_attribute(price: Decimal) -> list[dict]:
    return [{"marketplace_id": settings.SP_API_MARKETPLACE_ID, "currency": "BRL", "audience": "ALL",
             "our_price": [{"schedule": [{"value_with_tax": float(money(price))}]}]}]


def offer_attributes(product: Product, price: Decimal, condition: str, required: list[str]) -> dict:
    """What we know how to fill; a required attribute we cannot fill is left for Amazon to name (90220)."""
    market = settings.SP_API_MARKETPLACE_ID
    known = {
        "merchant_suggested_asin": [{"value": product.asin, "marketplace_id": market}],
        "condition_type": [{"value": condition, "marketplace_id": market}],
        "purchasable_offer": _offer_attribute(price),
        # the Amazon channel and NO quantity: Seller Flex owns FBA Onsite stock
        "fulfillment_availability": [{"fulfillment_channel_code": FBA_ONSITE_CHANNEL}],
    }
    return {name: known[name] for name in dict.fromkeys(list(known) + required) if name in known}


def create_fba_onsite_offer(product: Product, *, price: Decimal, condition: str = "new_new",
                            product_type: str = DEFAULT_PRODUCT_TYPE, preview_only: bool = False,
                            client: SpApiClient | None = None) -> OfferResult:
    """Validate with VALIDATION_PREVIEW first, always; submit only when the preview has no error (and the
    caller did not ask for the preview alone). The preview's issues come back explained either way."""
    if not product.asin:
        raise ValueError(_("Product %(sku)s has no ASIN: an FBA Onsite offer is created on an existing ASIN. "
                           "Fill in the ASIN on the product page.") % {"sku": product.sku})
    client = client or SpApiClient(product.seller)
    body = {"productType": product_type, "requirements": OFFER_ONLY, "attributes": offer_attributes(
        product, price, condition, required_attributes(client, product_type))}
    preview = api.put_listings_item(client, product.sku, body, preview=True)
    preview_issues = explain_all(preview.issues)
    if preview.errors or preview_only:
        return OfferResult(product.sku, preview.status, False, preview_issues)
    submission = api.put_listings_item(client, product.sku, body, preview=False)
    if submission.status == "ACCEPTED":
        _record_created(product, price, submission)
    return OfferResult(product.sku, submission.status, True, preview_issues, explain_all(submission.issues))


def _record_created(product: Product, price: Decimal, submission: api.Submission) -> None:
    Offer.objects.update_or_create(seller=product.seller, sku=product.sku, fulfillment_channel=FBA_ONSITE_CHANNEL,
                                   defaults={"product": product, "asin": product.asin, "is_fba_onsite": True,
                                             "price": money(price), "issues": submission.issues,
                                             "synced_at": timezone.now()})


def _patch(offer: Offer, patches: list[dict], client: SpApiClient | None) -> dict:
    """Send a patch (productType read from Amazon, as PATCH requires it) and re-read the SKU into our rows."""
    client = client or SpApiClient(offer.seller)
    item = api.get_listings_item(client, offer.sku)
    product_type = (item.get("summaries") or [{}])[0].get("productType", DEFAULT_PRODUCT_TYPE)
    submission = api.patch_listings_item(client, offer.sku, product_type, patches)
    if submission.status != "ACCEPTED":
        raise ListingRejected(submission)
    fresh = api.get_listings_item(client, offer.sku)
    apply_item(offer.seller, fresh)
    return fresh


def update_price(offer: Offer, price: Decimal, *, client: SpApiClient | None = None) -> dict:
    return _patch(offer, [{"op": "replace", "path": "/attributes/purchasable_offer",
                           "value": _offer_attribute(price)}], client)


def pause_offer(offer: Offer, *, client: SpApiClient | None = None) -> dict:
    """Withdraw the offer (no price, not buyable) and keep the listing; `update_price` brings it back."""
    return _patch(offer, [{"op": "delete", "path": "/attributes/purchasable_offer"}], client)


def close_offer(offer: Offer, *, client: SpApiClient | None = None) -> api.Submission:
    """Delete the SKU on Amazon (every channel of it) and our rows with it."""
    submission = api.delete_listings_item(client or SpApiClient(offer.seller), offer.sku)
    if submission.status != "ACCEPTED":
        raise ListingRejected(submission)
    Offer.objects.for_seller(offer.seller).filter(sku=offer.sku).delete()
    return submission


def convert_to_fba_onsite(offer: Offer, *, client: SpApiClient | None = None) -> dict:
    """Replace the merchant channel by the FBA Onsite one, in one write, so both never coexist."""
    if not offer.is_merchant_fulfilled:
        raise ValueError(_("Offer %(sku)s is already fulfilled by Amazon.") % {"sku": offer.sku})
    return _patch(offer, [{"op": "replace", "path": "/attributes/fulfillment_availability",
                           "value": [{"fulfillment_channel_code": FBA_ONSITE_CHANNEL}]}], client)


def hybrid_risk_message(sku: str) -> str:
    return _("SKU %(sku)s is fulfilled by Amazon (FBA Onsite): its stock is managed only in Seller Flex. Sending "
             "a quantity would create a merchant-fulfilled duplicate (a hybrid offer), so nothing was sent. "
             "Adjust this stock in Seller Flex.") % {"sku": sku}


def update_quantity(offer: Offer, quantity: int, *, client: SpApiClient | None = None) -> dict:
    """Merchant-fulfilled stock only, with `merge` so no other field or channel is touched.
    Raises HybridRiskError for FBA Onsite SKUs, judged on our rows AND on Amazon's current channels."""
    if offer.is_fba_onsite or is_amazon_channel(offer.fulfillment_channel) or Offer.objects.for_seller(
            offer.seller).filter(sku=offer.sku, fulfillment_channel__startswith="AMAZON_").exists():
        raise HybridRiskError(hybrid_risk_message(offer.sku))
    client = client or SpApiClient(offer.seller)
    current = api.get_listings_item(client, offer.sku, included="summaries,fulfillmentAvailability")
    if any(is_amazon_channel(c["fulfillmentChannelCode"]) for c in current.get("fulfillmentAvailability") or []):
        raise HybridRiskError(hybrid_risk_message(offer.sku))  # it became FBA Onsite since our last refresh
    product_type = (current.get("summaries") or [{}])[0].get("productType", DEFAULT_PRODUCT_TYPE)
    submission = api.patch_listings_item(client, offer.sku, product_type, [{
        "op": "merge", "path": "/attributes/fulfillment_availability",
        "value": [{"fulfillment_channel_code": Offer.MERCHANT_CHANNEL, "quantity": int(quantity)}]}])
    if submission.status != "ACCEPTED":
        raise ListingRejected(submission)
    Offer.objects.filter(pk=offer.pk).update(quantity=quantity, synced_at=timezone.now())
    return {"sku": offer.sku, "quantity": quantity}
