"""django-q2 entry points for the order pipeline: ids in, service calls out."""

from .models import Order


def process_order_task(order_id: int) -> None:
    from . import pipeline

    order = Order.objects.filter(pk=order_id).select_related("seller").first()
    if order is not None:
        pipeline.process_order(order)
