"""Keep `Offer` rows equal to Amazon's listings: the report for the whole catalogue, getListingsItem for the
details, and LISTINGS_ITEM_STATUS_CHANGE notifications in between.

One Offer row per (SKU, fulfillment channel). Rows are upserted in batches of 1,000 (~1 MB of parameters
per INSERT ... ON CONFLICT) while the report streams, so memory stays flat whatever the catalogue size.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import islice
from typing import Iterable

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from products.models import Offer, Product
from sellers.models import AmazonAuthorization, Seller

from ..client import SpApiClient
from ..http import SpApiError
from . import api, hybrids
from .reports import ListingRow, request_report, stream_rows, wait_for_document

BATCH = 1000
DETAIL_LIMIT = 200  # getListingsItem runs at 5 req/s: 200 details cost ~40 s per refresh
UPSERT_FIELDS = ["asin", "is_fba_onsite", "status", "quantity", "price", "synced_at"]
CENT = Decimal("0.01")
STATUS_TYPES = {"LISTINGS_ITEM_STATUS_CHANGE", "LISTINGS_ITEM_STATUS_CHANGED"}


@dataclass(frozen=True)
class SyncResult:
    rows: int
    created: int
    removed: int
    linked: int
    details: int
    hybrids: int


def money(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_UP)


def is_amazon_channel(code: str) -> bool:
    return code.startswith("AMAZON_")


def refresh_offers(seller: Seller, *, client: SpApiClient | None = None) -> SyncResult:
    """Load every offer from the listings report, link products, fetch details where needed, scan hybrids."""
    client = client or SpApiClient(seller)
    document_id = wait_for_document(client, request_report(client))
    started = timezone.now()
    rows, created = load_rows(seller, stream_rows(client, document_id), started)
    removed, _ = Offer.objects.for_seller(seller).filter(Q(synced_at__lt=started) | Q(synced_at=None)).delete()
    linked = link_products(seller)
    details = fetch_details(client, seller, needing_details(seller))
    return SyncResult(rows, created, removed, linked, details, hybrids.scan_hybrids(seller))


def load_rows(seller: Seller, rows: Iterable[ListingRow], stamp) -> tuple[int, int]:
    """Upsert the report's rows in batches; return (rows seen, rows created)."""
    existing = Offer.objects.for_seller(seller).count()
    seen = 0
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH)):
        Offer.objects.bulk_create([_offer(seller, row, stamp) for row in batch], update_conflicts=True,
                                  unique_fields=["seller", "sku", "fulfillment_channel"], update_fields=UPSERT_FIELDS)
        seen += len(batch)
    return seen, Offer.objects.for_seller(seller).count() - existing  # nothing was deleted yet


def _offer(seller: Seller, row: ListingRow, stamp) -> Offer:
    return Offer(seller=seller, sku=row.sku, asin=row.asin[:10], fulfillment_channel=row.channel,
                 is_fba_onsite=is_amazon_channel(row.channel), status=row.status, quantity=row.quantity,
                 price=money(row.price), synced_at=stamp)


def link_products(seller: Seller) -> int:
    """Our product by SKU first, then by ASIN (when the SKU on Amazon differs from ours)."""
    products = Product.objects.for_seller(seller)
    unlinked = Offer.objects.for_seller(seller).filter(product=None)
    by_sku = unlinked.filter(sku__in=products.values("sku")).update(
        product=Subquery(products.filter(sku=OuterRef("sku")).values("pk")[:1]))
    by_asin = unlinked.exclude(asin="").filter(asin__in=products.exclude(asin="").values("asin")).update(
        product=Subquery(products.filter(asin=OuterRef("asin")).order_by("pk").values("pk")[:1]))
    return by_sku + by_asin


def needing_details(seller: Seller):
    """Inactive offers (Amazon tells why in `issues`) and every offer of a SKU with both kinds of channel."""
    offers = Offer.objects.for_seller(seller)
    mixed = offers.filter(fulfillment_channel=Offer.MERCHANT_CHANNEL, sku__in=offers.filter(
        fulfillment_channel__startswith="AMAZON_").values("sku")).values("sku")
    return offers.filter(Q(status="Inactive") | Q(sku__in=mixed)).order_by("sku")[:DETAIL_LIMIT]


def fetch_details(client: SpApiClient, seller: Seller, offers) -> int:
    skus = list(dict.fromkeys(offer.sku for offer in offers))
    for sku in skus:
        apply_item(seller, api.get_listings_item(client, sku))
    return len(skus)


def apply_item(seller: Seller, item: dict) -> None:
    """Make the SKU's Offer rows equal to one getListingsItem answer (channels, price, status, issues)."""
    summary = (item.get("summaries") or [{}])[0]
    offer_price = next((o["price"]["amount"] for o in item.get("offers") or [] if o.get("offerType") == "B2C"), None)
    channels = {c["fulfillmentChannelCode"]: c.get("quantity") for c in item.get("fulfillmentAvailability") or []}
    status = "Active" if "BUYABLE" in (summary.get("status") or []) else "Inactive"
    now = timezone.now()
    with transaction.atomic():
        Offer.objects.for_seller(seller).filter(sku=item["sku"]).exclude(fulfillment_channel__in=channels).delete()
        for code, quantity in channels.items():
            Offer.objects.update_or_create(seller=seller, sku=item["sku"], fulfillment_channel=code, defaults={
                "asin": summary.get("asin", "")[:10], "is_fba_onsite": is_amazon_channel(code), "status": status,
                "quantity": quantity, "price": money(Decimal(offer_price)) if offer_price else None,
                "issues": item.get("issues") or [], "synced_at": now})


def apply_listing_notification(payload: dict) -> bool:
    """A LISTINGS_ITEM_STATUS_CHANGE message (whole envelope or its Payload): refresh that SKU from Amazon.
    Returns False for messages that are not ours to handle (unknown seller, other type)."""
    if payload.get("NotificationType") and payload["NotificationType"] not in STATUS_TYPES:
        return False
    body = payload.get("Payload", payload)
    authorization = AmazonAuthorization.objects.filter(selling_partner_id=body.get("SellerId")).first()
    if authorization is None or not body.get("Sku"):
        return False
    seller = authorization.seller
    client = SpApiClient(seller)
    try:
        item = api.get_listings_item(client, body["Sku"])
    except SpApiError as exc:
        if exc.status != 404:
            raise
        Offer.objects.for_seller(seller).filter(sku=body["Sku"]).delete()  # the listing is gone on Amazon
    else:
        apply_item(seller, item)
    link_products(seller)
    hybrids.scan_hybrids(seller)
    return True
