"""django-q2 entry points: ids in, one service call each. Periodic jobs fan out one task per seller."""

from django_q.tasks import async_task

from fiscal.models import Invoice
from sellers.models import AmazonAuthorization, Seller

from . import authorization, expiry, notifications, orders_import, shipment_invoicing


def import_orders_task(seller_id: int) -> None:
    result = orders_import.import_orders(Seller.objects.get(pk=seller_id))
    if result.created or result.updated:
        _start_pipeline()


def import_all_orders_task() -> None:
    """The polling sweep behind the notifications: one task per seller, so one failure blocks nobody."""
    for seller_id in AmazonAuthorization.objects.filter(state=AmazonAuthorization.State.ACTIVE).values_list(
            "seller_id", flat=True):
        async_task(import_orders_task, seller_id)


def consume_notifications_task() -> None:
    result = notifications.consume_notifications(max_messages=100)
    if result.received:
        _start_pipeline()


def _start_pipeline() -> None:
    """New or changed orders go straight into the pipeline instead of waiting for the reconciler's next pass."""
    from orders.reconciler import reconcile

    reconcile()


def submit_invoice_task(invoice_id: int) -> None:
    shipment_invoicing.submit_invoice(Invoice.objects.select_related("order", "seller").get(pk=invoice_id))


def poll_invoice_status_task(invoice_id: int) -> None:
    shipment_invoicing.poll_invoice_status(Invoice.objects.select_related("order", "seller").get(pk=invoice_id))


def check_expiries_task() -> None:
    expiry.check_expiries()


def test_connection_task(seller_id: int) -> None:
    authorization.test_connection(Seller.objects.get(pk=seller_id))


test_connection_task.__test__ = False
