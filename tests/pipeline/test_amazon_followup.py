"""One follower polls every upload Amazon is validating, so pipeline workers never sleep waiting for Amazon."""

import psycopg
from django.db import connection

from fiscal.models import Invoice
from orders import pipeline
from orders.amazon_followup import LOCK_KEY, follow_amazon, processing
from orders.models import Order

SP_ORDERS_READY = ["702-4100001-5300007", "702-4100002-5300014", "702-4100003-5300021", "702-4100004-5300028"]


def _upload_all_ready_orders():
    for order in Order.objects.filter(amazon_order_id__in=SP_ORDERS_READY):
        pipeline.process_order(order)


def test_the_follower_takes_every_upload_to_accepted_without_the_pipeline_waiting(demo, rig):
    _upload_all_ready_orders()
    assert processing().count() == len(SP_ORDERS_READY)  # uploaded, Amazon still validating: nobody slept
    polled = follow_amazon(max_seconds=20)
    assert polled >= len(SP_ORDERS_READY)
    assert not processing().exists()
    accepted = Invoice.objects.filter(order__amazon_order_id__in=SP_ORDERS_READY, amazon_status="accepted")
    assert accepted.count() == len(SP_ORDERS_READY)


def test_a_second_follower_returns_at_once_while_one_is_following(demo, rig):
    _upload_all_ready_orders()
    db = connection.settings_dict
    # Advisory locks are per session: the other follower is another connection, as another worker would be.
    with psycopg.connect(host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname=db["NAME"]) as other:
        other.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        assert follow_amazon(max_seconds=5) == 0
        assert processing().count() == len(SP_ORDERS_READY)
