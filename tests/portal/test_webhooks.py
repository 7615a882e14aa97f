"""Webhooks against a real HTTP receiver on 127.0.0.1: signature, retry with backoff, record, replay."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django_q.models import Schedule

from fiscal.models import InvoiceStatus
from portal.admin import WebhookDeliveryAdmin
from portal.models import WebhookDelivery, WebhookEvent
from portal.webhooks import MAX_ATTEMPTS, create_endpoint, deliver, notify_invoice, replay_delivery


class Receiver:
    """Answers with the queued status codes (then 200) and keeps every request it got."""

    def __init__(self):
        self.statuses, self.requests = [], []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.server.shutdown()


def test_an_authorized_invoice_is_delivered_signed_over_timestamp_and_body(seller_a, world_a, receiver):
    endpoint, secret = create_endpoint(seller_a, url=receiver.url, events=[WebhookEvent.INVOICE_AUTHORIZED])
    deliveries = notify_invoice(world_a["invoice"], WebhookEvent.INVOICE_AUTHORIZED)
    delivery = deliver(next(d for d in deliveries if d.endpoint == endpoint))
    assert delivery.status == WebhookDelivery.Status.DELIVERED and delivery.response_status == 200
    headers, body = receiver.requests[0]
    t, v1 = (part.split("=", 1)[1] for part in headers["X-Onsite-Signature"].split(","))
    expected = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(v1, expected)
    assert json.loads(body)["data"]["access_key"] == world_a["invoice"].access_key


def test_endpoints_get_only_the_events_they_asked_for(seller_a, world_a, receiver):
    create_endpoint(seller_a, url=receiver.url, events=[WebhookEvent.INVOICE_REJECTED])
    assert [d.endpoint.url for d in notify_invoice(world_a["invoice"], WebhookEvent.INVOICE_AUTHORIZED)] == ["http://127.0.0.1:9/hook"]


def test_a_failing_receiver_is_retried_with_backoff_then_given_up(seller_a, world_a, receiver):
    endpoint, _secret = create_endpoint(seller_a, url=receiver.url)
    receiver.statuses = [500] * MAX_ATTEMPTS
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event="invoice.rejected", payload={"x": 1})
    delivery = deliver(delivery)
    assert delivery.status == WebhookDelivery.Status.RETRYING and delivery.response_status == 500
    first_wait = delivery.next_attempt_at - delivery.created_at
    assert Schedule.objects.filter(func="portal.webhooks.deliver_webhook_task", args=str(delivery.pk)).exists()
    for _ in range(MAX_ATTEMPTS - 1):
        delivery = deliver(delivery)
    assert delivery.status == WebhookDelivery.Status.FAILED and delivery.attempts == MAX_ATTEMPTS
    assert len(receiver.requests) == MAX_ATTEMPTS
    assert first_wait.total_seconds() >= 59


def test_an_unreachable_receiver_is_recorded_without_crashing(world_a):
    delivery = deliver(world_a["delivery"])  # port 9 on 127.0.0.1: connection refused
    assert delivery.status == WebhookDelivery.Status.RETRYING and delivery.last_error


def test_a_delivered_message_is_not_sent_twice_by_a_duplicate_task(seller_a, receiver):
    endpoint, _secret = create_endpoint(seller_a, url=receiver.url)
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event="invoice.authorized", payload={})
    stale = WebhookDelivery.objects.get(pk=delivery.pk)
    deliver(delivery)
    deliver(stale)
    assert len(receiver.requests) == 1


def test_replay_from_the_admin_sends_a_new_recorded_delivery(seller_a, receiver, admin_client):
    endpoint, _secret = create_endpoint(seller_a, url=receiver.url)
    original = WebhookDelivery.objects.create(endpoint=endpoint, event="invoice.authorized", payload={"n": 1},
                                              status=WebhookDelivery.Status.FAILED)
    response = admin_client.post("/admin/portal/webhookdelivery/", {"action": "replay", "_selected_action": [original.pk]})
    assert response.status_code == 302
    copy = WebhookDelivery.objects.get(replay_of=original)
    assert deliver(copy).status == WebhookDelivery.Status.DELIVERED
    assert WebhookDelivery.objects.get(pk=original.pk).status == WebhookDelivery.Status.FAILED
