"""GET /health/: database, broker, queue progress (the heartbeat) and each schedule, 200 only when all are ok."""

from datetime import timedelta

from django.utils import timezone
from django_q.models import Success
from django_q.tasks import async_task

from config.schedules import SCHEDULES, ensure_schedules

PARTS = {"database", "broker", "workers", "schedules", "ok"}


def test_health_is_503_and_names_the_missing_parts_before_any_schedule_ran(client, db):
    response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert set(body) == PARTS
    assert body["database"]["ok"] and body["broker"]["ok"]
    assert body["workers"] == {"ok": False, "last_heartbeat": None}
    assert {row["name"] for row in body["schedules"] if not row["ok"]} == {name for name, *_ in SCHEDULES}


def test_health_is_200_once_schedules_exist_and_the_heartbeat_ran(client, db):
    ensure_schedules()
    async_task("orders.tasks.heartbeat_task", group="heartbeat")  # what the heartbeat schedule does (inline here)
    response = client.get("/health/")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["workers"]["ok"] and body["workers"]["last_heartbeat"]
    assert all(row["ok"] for row in body["schedules"])
    heartbeat = next(row for row in body["schedules"] if row["name"] == "heartbeat")
    assert heartbeat["last_success"] == body["workers"]["last_heartbeat"]


def test_a_heartbeat_that_stopped_means_the_workers_are_not_progressing(client, db):
    ensure_schedules()
    async_task("orders.tasks.heartbeat_task", group="heartbeat")
    stopped = Success.objects.filter(group="heartbeat").values_list("stopped", flat=True).first()
    from orders.health import health_report

    late = health_report(now=stopped + timedelta(minutes=10))
    assert late["workers"]["ok"] is False and late["ok"] is False
    assert health_report(now=stopped + timedelta(seconds=30))["workers"]["ok"] is True


def test_health_answers_get_only(client, db):
    assert client.post("/health/").status_code == 405
