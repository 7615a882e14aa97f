"""django-q2 entry points: ids in, service calls out. A refresh always ends with a hybrid scan."""

import logging

from integration.client import AuthorizationUnusable
from sellers.models import Seller

from . import hybrids, sync

log = logging.getLogger(__name__)


def refresh_offers_task(seller_id: int) -> str:
    try:
        result = sync.refresh_offers(Seller.objects.get(pk=seller_id))
    except AuthorizationUnusable as exc:
        # Expired or lost authorization: the seller already sees why (banner, pre-flight); not a task failure.
        log.warning("offers of seller %s not refreshed: %s", seller_id, exc.code)
        return "authorization unusable"
    return f"{result.rows} rows, {result.created} new, {result.removed} removed, {result.hybrids} hybrid"


def scan_hybrids_task(seller_id: int) -> int:
    return hybrids.scan_hybrids(Seller.objects.get(pk=seller_id))
