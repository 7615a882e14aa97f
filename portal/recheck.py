"""Pre-flight again for the orders a renewed credential was blocking, so the seller sees them released at once."""

from fiscal.models import ErrorCategory
from fiscal.preflight import run_preflight
from orders.models import Order


def recheck_credential_blocks(seller) -> int:
    """Re-run pre-flight on the seller's orders blocked for a credential problem; returns how many were released."""
    blocked = Order.objects.for_seller(seller).blocked().filter(
        preflight_issues__contains=[{"category": str(ErrorCategory.CREDENTIALS)}])
    return sum(1 for order in blocked if run_preflight(order))
