"""Health: database, broker, workers making progress (not just alive), and each schedule's last success."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone

HEARTBEAT_LATE_AFTER = timedelta(minutes=3)  # the heartbeat runs every minute; three missed means stuck


def health_report(*, now=None) -> dict:
    now = now or timezone.now()
    checks = {"database": _database(), "broker": _broker(), "workers": _workers(now), "schedules": _schedules()}
    checks["ok"] = all(c.get("ok", True) for c in checks.values() if isinstance(c, dict)) and all(
        s["ok"] for s in checks["schedules"]
    )
    return checks


def _database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # noqa: BLE001 - health must report, not raise
        return {"ok": False, "error": exc.__class__.__name__}


def _broker() -> dict:
    from django_q.brokers import get_broker

    try:
        broker = get_broker()
        return {"ok": bool(broker.ping()), "name": broker.__class__.__name__, "queued": broker.queue_size()}
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "error": exc.__class__.__name__}


def _workers(now) -> dict:
    """Queue progress: the heartbeat schedule's last run must be recent (issue django-q2#23: alive ≠ working)."""
    last = _last_success("heartbeat")
    ok = last is not None and now - last < HEARTBEAT_LATE_AFTER
    return {"ok": ok, "last_heartbeat": last.isoformat() if last else None}


def _schedules() -> list[dict]:
    from django_q.models import Schedule

    from config.schedules import SCHEDULES

    present = set(Schedule.objects.values_list("name", flat=True))
    rows = []
    for name, *_rest in SCHEDULES:
        last = _last_success(name)
        rows.append({"name": name, "ok": name in present, "last_success": last.isoformat() if last else None})
    return rows


def _last_success(group: str):
    from django_q.models import Success

    task = Success.objects.filter(group=group).order_by("-stopped").only("stopped").first()
    return task.stopped if task else None
