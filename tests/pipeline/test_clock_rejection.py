"""A clock rejection (228/703) is rebuilt with the current time by itself; a few times only, then staff look."""

import json

import requests

from fiscal.models import Invoice
from orders import pipeline
from orders.models import Order
from orders.pipeline import AUTO_REBUILDS
from tests.pipeline.conftest import time_passes

SP_ORDER = "702-4100001-5300007"


def _move_sefaz_clock(rig, seconds: int) -> None:
    response = requests.post(rig.sefaz.url + "/_sandbox/clock", data=json.dumps({"offset_seconds": seconds}), timeout=5)
    assert response.status_code == 200, response.text


def _process(times: int) -> Invoice:
    for _ in range(times):
        pipeline.process_order(Order.objects.get(amazon_order_id=SP_ORDER))
        time_passes()
    return Invoice.objects.get(order__amazon_order_id=SP_ORDER)


def test_a_too_old_issue_date_is_rebuilt_with_the_current_time_without_the_seller(demo, rig):
    _move_sefaz_clock(rig, 31 * 86400)  # SEFAZ sees our dhEmi as 31 days old: 228
    invoice = _process(1)
    assert invoice.status == "rejected" and invoice.cstat == "228"
    number = invoice.number
    _move_sefaz_clock(rig, 0)  # the clocks agree again
    invoice = _process(3)
    assert invoice.status == "authorized" and invoice.number == number  # same number, new dhEmi


def test_clock_rejections_stop_rebuilding_after_a_few_tries(demo, rig):
    _move_sefaz_clock(rig, 31 * 86400)
    invoice = _process(AUTO_REBUILDS + 3)
    assert invoice.status == "rejected" and invoice.cstat == "228"
    assert invoice.events.filter(kind="transition", from_status="rejected").count() == AUTO_REBUILDS
