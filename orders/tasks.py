"""django-q2 entry points for the order pipeline: ids in, service calls out."""

from django.utils.module_loading import import_string

from sellers.models import Seller

from .models import Order


def process_order_task(order_id: int) -> None:
    from . import pipeline

    order = Order.objects.filter(pk=order_id).select_related("seller").first()
    if order is not None:
        pipeline.process_order(order)


def reconcile_task() -> int:
    from .reconciler import reconcile

    return reconcile()


def for_each_seller(task_path: str) -> int:
    """Fan a periodic job out to one small task per active seller, so one seller's failure blocks no other."""
    from django_q.tasks import async_task

    import_string(task_path)  # fail here, loudly, if the schedule names a task that does not exist
    ids = list(Seller.objects.filter(active=True).values_list("pk", flat=True))
    for seller_id in ids:
        async_task(task_path, seller_id, group=task_path.rsplit(".", 1)[-1])
    return len(ids)


def follow_amazon_task() -> int:
    from .amazon_followup import follow_amazon

    return follow_amazon()


def heartbeat_task() -> str:
    """Proof of queue progress for the health check: a scheduled task that actually ran."""
    return "ok"
