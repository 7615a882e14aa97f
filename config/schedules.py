"""The one list of periodic jobs. `python manage.py setup_schedules` creates or updates them by name.

Per-seller work fans out through orders.tasks.for_each_seller (one task per seller). catch_up is off
(Q_CLUSTER) so a stopped cluster does not replay a burst of stale slots when it comes back.
"""

from django_q.models import Schedule

MINUTES, DAILY = Schedule.MINUTES, Schedule.DAILY
EACH_SELLER = "orders.tasks.for_each_seller"

SCHEDULES = [
    # name, function, args, schedule type, minutes
    ("heartbeat", "orders.tasks.heartbeat_task", (), MINUTES, 1),
    ("pipeline-reconcile", "orders.tasks.reconcile_task", (), MINUTES, 1),
    ("amazon-invoice-status", "orders.tasks.follow_amazon_task", (), MINUTES, 1),
    ("amazon-notifications", "integration.tasks.consume_notifications_task", (), MINUTES, 1),
    ("amazon-import-orders", EACH_SELLER, ("integration.tasks.import_orders_task",), MINUTES, 5),
    ("amazon-test-connection", EACH_SELLER, ("integration.tasks.test_connection_task",), DAILY, None),
    ("credential-expiry-warnings", "integration.tasks.check_expiries_task", (), DAILY, None),
    ("nfe-void-gaps", EACH_SELLER, ("fiscal.tasks.void_gaps_task",), DAILY, None),
    ("offers-refresh-and-hybrid-scan", EACH_SELLER, ("integration.listings.tasks.refresh_offers_task",), DAILY, None),
]


def ensure_schedules() -> list[str]:
    """Idempotent: one row per name (django-q2 has no unique constraint on Schedule.name, so we keep it)."""
    names = []
    for name, func, args, kind, minutes in SCHEDULES:
        rows = Schedule.objects.filter(name=name).order_by("pk")
        rows.exclude(pk=rows.values("pk")[:1]).delete()  # heal duplicates from older deploys
        Schedule.objects.update_or_create(
            name=name,
            defaults={"func": func, "args": repr(args) if args else None, "schedule_type": kind, "minutes": minutes, "repeats": -1},
        )
        names.append(name)
    Schedule.objects.exclude(name__in=names).filter(name__in=_ours_retired()).delete()
    return names


def _ours_retired() -> list[str]:
    """Names of jobs we used to schedule and removed; deleted so they stop running."""
    return []
