"""django-q2 entry points: ids in, service calls out. A refresh always ends with a hybrid scan."""

from sellers.models import Seller

from . import hybrids, sync


def refresh_offers_task(seller_id: int) -> str:
    result = sync.refresh_offers(Seller.objects.get(pk=seller_id))
    return f"{result.rows} rows, {result.created} new, {result.removed} removed, {result.hybrids} hybrid"


def scan_hybrids_task(seller_id: int) -> int:
    return hybrids.scan_hybrids(Seller.objects.get(pk=seller_id))
