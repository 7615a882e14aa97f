"""Hybrid offers: the same product offered merchant-fulfilled (`DEFAULT`) and Amazon-fulfilled (`AMAZON_*`),
either as two channels of one SKU or as two SKUs of one ASIN.

Finding them is a pure database scan. Removing them always takes the merchant-fulfilled side and goes
preview -> seller's (or staff's) confirmation -> `remove_hybrids`, and each removal is recorded.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import translation
from django.utils.translation import gettext as _

from products.models import Offer
from sellers.models import Seller

from ..client import SpApiClient
from ..http import SpApiError
from . import api
from .models import HybridRemoval

AMAZON_PREFIX = "AMAZON_"


@dataclass(frozen=True)
class RemovalPlan:
    offer: Offer  # the merchant-fulfilled offer that goes
    action: str  # HybridRemoval.Action: 'delete_sku' | 'patch_fulfillment'
    description_pt: str


def _counterpart(offers, side_is_merchant: bool):
    """An offer of the other kind of channel with the same SKU, or the same non-empty ASIN."""
    other = offers.filter(fulfillment_channel__startswith=AMAZON_PREFIX) if side_is_merchant else offers.filter(
        fulfillment_channel=Offer.MERCHANT_CHANNEL)
    same_product = Q(sku=OuterRef("sku")) | (Q(asin=OuterRef("asin")) & ~Q(asin=""))
    return Exists(other.filter(same_product))


def scan_hybrids(seller: Seller) -> int:
    """Mark `is_hybrid` on both sides of every hybrid of this seller; return how many offers are hybrid."""
    offers = Offer.objects.for_seller(seller)
    merchant = offers.filter(fulfillment_channel=Offer.MERCHANT_CHANNEL).filter(_counterpart(offers, True))
    amazon = offers.filter(fulfillment_channel__startswith=AMAZON_PREFIX).filter(_counterpart(offers, False))
    hybrid_ids = set(merchant.values_list("pk", flat=True)) | set(amazon.values_list("pk", flat=True))
    with transaction.atomic():
        offers.filter(is_hybrid=True).exclude(pk__in=hybrid_ids).update(is_hybrid=False)
        offers.filter(pk__in=hybrid_ids, is_hybrid=False).update(is_hybrid=True)
    return len(hybrid_ids)


def preview_removal(seller: Seller, offer_ids=None) -> list[RemovalPlan]:
    """Exactly which channel of which SKU would go. `offer_ids` may name either side of a hybrid."""
    offers = Offer.objects.for_seller(seller)
    hybrids = offers.hybrid()
    if offer_ids is not None:
        chosen = hybrids.filter(pk__in=offer_ids)
        hybrids = hybrids.filter(Q(pk__in=chosen) | Q(sku__in=chosen.values("sku")) | (
            Q(asin__in=chosen.exclude(asin="").values("asin"))))
    merchant = hybrids.filter(fulfillment_channel=Offer.MERCHANT_CHANNEL).order_by("sku")
    amazon_skus = set(offers.filter(fulfillment_channel__startswith=AMAZON_PREFIX,
                                    sku__in=merchant.values("sku")).values_list("sku", flat=True))
    return [_plan(offer, offer.sku in amazon_skus) for offer in merchant]


def _plan(offer: Offer, same_sku: bool) -> RemovalPlan:
    with translation.override("pt-br"):
        if same_sku:
            text = _("SKU %(sku)s keeps its Amazon-fulfilled (FBA Onsite) offer; only its merchant-fulfilled "
                     "channel (DEFAULT) is removed.") % {"sku": offer.sku}
            return RemovalPlan(offer, HybridRemoval.Action.PATCH_FULFILLMENT, text)
        text = _("SKU %(sku)s, merchant-fulfilled twin of ASIN %(asin)s, is deleted; the FBA Onsite SKU of the "
                 "same ASIN stays.") % {"sku": offer.sku, "asin": offer.asin}
        return RemovalPlan(offer, HybridRemoval.Action.DELETE_SKU, text)


def remove_hybrids(seller: Seller, offer_ids, *, actor, client: SpApiClient | None = None) -> list[HybridRemoval]:
    """Apply the confirmed plans for `offer_ids`: the merchant-fulfilled side only, one Amazon call each,
    each recorded whatever Amazon answers."""
    client = client or SpApiClient(seller)
    removals = [_apply(client, seller, plan, actor) for plan in preview_removal(seller, offer_ids)]
    scan_hybrids(seller)
    return removals


def _apply(client: SpApiClient, seller: Seller, plan: RemovalPlan, actor) -> HybridRemoval:
    offer = plan.offer
    record = HybridRemoval(seller=seller, offer=offer, sku=offer.sku, asin=offer.asin, action=plan.action,
                           fulfillment_channel=offer.fulfillment_channel, requested_by=actor)
    try:
        submission = _send(client, plan)
    except SpApiError as exc:
        record.outcome, record.error = HybridRemoval.Outcome.FAILED, exc.message
        record.amazon_response = {"code": exc.code, "status": exc.status, "requestId": exc.request_id}
    else:
        accepted = submission.status == "ACCEPTED"
        record.outcome = HybridRemoval.Outcome.ACCEPTED if accepted else HybridRemoval.Outcome.REJECTED
        record.submission_id = submission.submission_id
        record.amazon_response = {"status": submission.status, "issues": submission.issues}
        if accepted:  # Amazon no longer has this channel: neither do we
            record.offer = None
            offer.delete()
    record.save()
    return record


def _send(client: SpApiClient, plan: RemovalPlan) -> api.Submission:
    if plan.action == HybridRemoval.Action.DELETE_SKU:
        return api.delete_listings_item(client, plan.offer.sku)
    item = api.get_listings_item(client, plan.offer.sku, included="summaries")
    product_type = (item.get("summaries") or [{}])[0].get("productType", "PRODUCT")
    patch = {"op": "delete", "path": "/attributes/fulfillment_availability",
             "value": [{"fulfillment_channel_code": Offer.MERCHANT_CHANNEL}]}
    return api.patch_listings_item(client, plan.offer.sku, product_type, [patch])
