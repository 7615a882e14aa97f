"""django-q2 entry points of the fiscal app: ids in, service calls out."""

from sellers.models import Seller


def void_gaps_task(seller_id: int) -> int:
    """Nightly: void every number of the seller's series that ended neither authorized nor denied (idempotent)."""
    from .voiding import void_gaps

    seller = Seller.objects.filter(pk=seller_id, active=True).first()
    return len(void_gaps(seller) or []) if seller else 0
