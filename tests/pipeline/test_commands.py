"""setup_schedules, pipeline_status and sync_seller as support would run them."""

import io
import json

from django.core.management import call_command
from django_q.models import Schedule

from benchmarks import _rig
from config.schedules import SCHEDULES

from .conftest import settle

STATUS_KEYS = {"seller", "amazon_order_id", "status", "access_key", "error_category", "message", "seconds_to_accepted"}


def test_setup_schedules_twice_leaves_one_row_per_name(db):
    Schedule.objects.create(name="heartbeat", func="orders.tasks.heartbeat_task")  # a duplicate from an old deploy
    call_command("setup_schedules", stdout=io.StringIO())
    call_command("setup_schedules", stdout=io.StringIO())
    names = list(Schedule.objects.values_list("name", flat=True))
    assert sorted(names) == sorted(name for name, *_ in SCHEDULES)


def test_pipeline_status_json_lists_every_order_with_exactly_the_documented_keys(demo, rig):
    settle(["702-4100001-5300007", "702-4100005-5300035"], rounds=4)
    out = io.StringIO()
    call_command("pipeline_status", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert len(rows) == 8 and all(set(row) == STATUS_KEYS for row in rows)
    by_id = {row["amazon_order_id"]: row for row in rows}
    accepted = by_id["702-4100001-5300007"]
    assert accepted["status"] == "amazon_accepted" and len(accepted["access_key"]) == 44
    assert accepted["seconds_to_accepted"] > 0
    blocked = by_id["702-4100005-5300035"]
    assert blocked["status"] == "preflight_blocked" and blocked["error_category"] and blocked["message"]


def test_sync_seller_once_imports_and_reports_each_order(demo, rig):
    out = io.StringIO()
    call_command("sync_seller", "A2NORMALMGDEMO", "--once", "--max-seconds", "20", stdout=out)
    text = out.getvalue()
    assert "702-4100006-5300042  amazon_accepted" in text
    assert "preflight_blocked" in text and "cancelled" in text
    assert _rig.accepted_count(["702-4100006-5300042"]) == 1
