import boto3
import pytest
from django.test import override_settings

from fiscal.models import Invoice
from integration.models import ProcessedNotification
from integration.notifications import consume_notifications
from orders.models import Order

from .conftest import ORDER_SP, SHIPMENT_SP, authorize, control, sandbox_settings, start
from .helpers import authorized_invoice


@pytest.fixture
def queue():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    sqs = boto3.client("sqs", endpoint_url=endpoint, region_name="us-east-1",
                       aws_access_key_id="local", aws_secret_access_key="local")
    url = sqs.create_queue(QueueName="sp-api", Attributes={"VisibilityTimeout": "0"})["QueueUrl"]
    yield endpoint, url
    server.stop()


@pytest.fixture
def amazon_sqs(tmp_path, db, queue, monkeypatch):
    endpoint, url = queue
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "local")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "local")
    handle = start(tmp_path, sqs_endpoint=endpoint, sqs_queue_url=url)
    with sandbox_settings(handle), override_settings(SQS_ENDPOINT_URL=endpoint, SQS_QUEUE_URL=url):
        yield handle
    handle.stop()


def test_a_shipment_notification_imports_the_unknown_order_and_records_the_shipment(amazon_sqs):
    seller = authorize(amazon_sqs).seller
    control(amazon_sqs, "POST", f"shipments/{SHIPMENT_SP}/publish")
    result = consume_notifications()
    assert result.processed == 1
    order = Order.objects.get(seller=seller, amazon_order_id=ORDER_SP)
    assert order.shipment_id == SHIPMENT_SP and order.shipment_seen_at and order.buyer_document == "12345678909"


def test_a_notification_delivered_twice_is_acted_on_once(amazon_sqs):
    authorize(amazon_sqs)
    message = control(amazon_sqs, "POST", f"shipments/{SHIPMENT_SP}/publish")
    control(amazon_sqs, "POST", f"notifications/{message['NotificationMetadata']['NotificationId']}/duplicate")
    result = consume_notifications()
    assert (result.received, result.processed, result.duplicates) == (2, 1, 1)
    assert ProcessedNotification.objects.count() == 1
    assert consume_notifications().received == 0  # both copies were deleted


def test_an_order_change_fetches_the_new_version_of_the_order(amazon_sqs):
    seller = authorize(amazon_sqs).seller
    control(amazon_sqs, "PATCH", f"orders/{ORDER_SP}", buyer={"buyerName": "Comprador Corrigido"},
            tax={"taxRegistrations": [{"entityType": "BUYER", "taxRegistrationType": "CPF",
                                       "taxRegistrationNumber": "98765432100", "legalName": "Comprador Corrigido"}]})
    consume_notifications()
    order = Order.objects.get(seller=seller, amazon_order_id=ORDER_SP)
    assert (order.buyer_name, order.buyer_document) == ("Comprador Corrigido", "98765432100")


def test_a_cancelled_shipment_flags_the_authorized_invoice(amazon_sqs):
    seller = authorize(amazon_sqs).seller
    control(amazon_sqs, "POST", f"shipments/{SHIPMENT_SP}/publish")
    consume_notifications()
    invoice = authorized_invoice(Order.objects.get(seller=seller, amazon_order_id=ORDER_SP))
    control(amazon_sqs, "POST", f"shipments/{SHIPMENT_SP}/cancel")
    consume_notifications()
    assert Invoice.objects.get(pk=invoice.pk).needs_cancellation


def test_a_notification_whose_work_failed_stays_in_the_queue_and_is_retried(amazon_sqs):
    seller = authorize(amazon_sqs).seller
    control(amazon_sqs, "POST", f"orders/{ORDER_SP}/publish")
    control(amazon_sqs, "POST", "faults", operation="getOrder", status=503, count=1)
    with override_settings(SP_API_MAX_ATTEMPTS=1):
        failed = consume_notifications(max_messages=1)
    assert failed.failed == 1 and not Order.objects.filter(seller=seller).exists()
    retried = consume_notifications()
    assert retried.processed == 1 and Order.objects.filter(seller=seller, amazon_order_id=ORDER_SP).exists()
