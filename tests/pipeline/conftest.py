"""The pipeline end to end: both sandboxes on free ports, our settings pointed at them, the demo agency seeded.

Tasks run inline here (Q_CLUSTER sync, from the test settings); the slow tests in test_qcluster_e2e.py run real
qcluster processes instead. The only thing these fixtures do to the clock is `time_passes`: a backoff elapsed.
"""

import io
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from benchmarks import _rig
from fiscal.models import Invoice
from orders import pipeline
from orders.models import Order
from sellers.models import AmazonAuthorization

FAST_CLIENT = {"SP_API_BACKOFF_BASE": 0.01, "SP_API_BACKOFF_CAP": 0.05, "SP_API_MAX_THROTTLE_WAIT": 5}


@pytest.fixture
def rig(tmp_path, settings):
    sandboxes = _rig.start_sandboxes(tmp_path / "sandboxes")
    for name, value in {**sandboxes.settings(sefaz_timeout=2.0), **FAST_CLIENT}.items():
        setattr(settings, name, value)
    yield sandboxes
    sandboxes.stop()


@pytest.fixture
def demo(rig, db):
    """The demo sellers (by selling partner id), with certificates, authorizations, catalogue and orders."""
    call_command("seed_demo", stdout=io.StringIO())
    return {a.selling_partner_id: a.seller for a in AmazonAuthorization.objects.select_related("seller")}


def receive_notifications() -> None:
    """The notification schedule, once: ORDER_CHANGE messages from SQS bring the new orders in."""
    from integration.notifications import consume_notifications

    while consume_notifications(max_messages=100).received:
        pass


def time_passes() -> None:
    """Every SEFAZ and Amazon backoff elapsed (the clock is the one thing tests may move)."""
    past = timezone.now() - timedelta(seconds=1)
    Invoice.objects.filter(next_attempt_at__isnull=False).update(next_attempt_at=past)
    Invoice.objects.filter(amazon_next_poll_at__isnull=False).update(amazon_next_poll_at=past)


def settle(order_ids: list[str], *, rounds: int = 8) -> None:
    """Drive the orders as the reconciler would, until Amazon accepted each one (or the rounds run out)."""
    for _round in range(rounds):
        waiting = Order.objects.filter(amazon_order_id__in=order_ids).exclude(invoices__amazon_status="accepted")
        if not waiting.exists():
            return
        for order in waiting:
            pipeline.process_order(order)
        time.sleep(0.3)  # the Amazon sandbox validates an upload in 0.2 s
        time_passes()


def accepted(order_ids: list[str]) -> int:
    return _rig.accepted_count(order_ids)


def no_violations(sandboxes) -> dict:
    found = _rig.invariants(sandboxes)
    return {name: rows for name, rows in found.items() if rows}
