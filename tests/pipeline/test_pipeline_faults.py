"""Faults in process: SEFAZ accepts then hangs, Amazon throttles, tasks are delivered twice or lost."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from benchmarks import _rig
from fiscal.models import Invoice
from orders.models import Order
from orders.reconciler import QUEUE_LOST_AFTER, reconcile
from orders.tasks import process_order_task

from .conftest import accepted, no_violations, settle

SP_ORDERS = ["702-4100001-5300007", "702-4100002-5300014", "702-4100003-5300021", "702-4100004-5300028"]


def sefaz_keys(rig) -> list[str]:
    return [row["chNFe"] for row in _rig.control(rig.sefaz.url, "GET", "ledger")["authorizations"]]


def test_sefaz_accepting_then_hanging_ends_with_exactly_one_authorization(demo, rig):
    _rig.control(rig.sefaz.url, "POST", "faults", {"mode": "accept_then_hang", "count": 1, "service": "*"})
    settle(SP_ORDERS[:1])
    invoice = Invoice.objects.get(order__amazon_order_id=SP_ORDERS[0])
    assert (invoice.status, invoice.amazon_status) == ("authorized", "accepted")
    assert sefaz_keys(rig) == [invoice.access_key]
    assert invoice.events.filter(to_status="unknown").exists()  # the hang was seen, then settled by key lookup
    assert no_violations(rig) == {}


def test_a_429_storm_at_amazon_ends_with_every_order_accepted_once(demo, rig):
    _rig.control(rig.amazon.url, "POST", "faults", {"operation": "*", "status": 429, "count": 25})
    settle(SP_ORDERS, rounds=15)
    assert accepted(SP_ORDERS) == len(SP_ORDERS)
    left = sum(f["remaining"] for f in _rig.control(rig.amazon.url, "GET", "faults")["faults"])
    assert left == 0  # every one of the 25 throttled calls happened, and the pipeline went through them
    assert no_violations(rig) == {}


def test_a_task_delivered_twice_in_a_row_emits_one_nfe_and_one_upload(demo, rig):
    order = Order.objects.get(amazon_order_id=SP_ORDERS[0])
    process_order_task(order.pk)
    process_order_task(order.pk)
    settle(SP_ORDERS[:1])
    assert Invoice.objects.filter(order=order).count() == 1
    assert len(sefaz_keys(rig)) == 1
    assert no_violations(rig) == {}


@pytest.mark.django_db(transaction=True)
def test_a_task_delivered_twice_at_once_emits_one_nfe_and_one_upload(demo, rig):
    order_ids = list(Order.objects.filter(amazon_order_id__in=SP_ORDERS).values_list("pk", flat=True))
    barrier = threading.Barrier(2)

    def deliver():
        barrier.wait()
        try:
            for order_id in order_ids:
                process_order_task(order_id)
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    settle(SP_ORDERS)
    assert Invoice.objects.filter(order_id__in=order_ids).count() == len(order_ids)
    assert len(sefaz_keys(rig)) == len(order_ids)
    assert accepted(SP_ORDERS) == len(SP_ORDERS)
    assert no_violations(rig) == {}


def test_the_reconciler_enqueues_a_lost_task_again_and_never_twice_within_the_window(demo, rig,
                                                                                       django_capture_on_commit_callbacks):
    order = Order.objects.get(amazon_order_id=SP_ORDERS[0])
    Order.objects.exclude(pk=order.pk).update(pipeline_queued_at=timezone.now())  # their tasks are waiting
    lost_at = timezone.now() - QUEUE_LOST_AFTER - timedelta(minutes=1)
    Order.objects.filter(pk=order.pk).update(pipeline_queued_at=lost_at)  # queued long ago, never started
    with django_capture_on_commit_callbacks(execute=False) as pushed:
        assert reconcile() == 1
        assert reconcile() == 0  # still within the window: not enqueued twice
    assert len(pushed) == 1
    order.refresh_from_db()
    assert order.pipeline_queued_at > lost_at
    pushed[0]()  # the broker delivers it (tasks run inline here)
    settle(SP_ORDERS[:1])
    assert accepted(SP_ORDERS[:1]) == 1
