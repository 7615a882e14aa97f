"""Outgoing webhooks: sign, deliver, retry with backoff, record every attempt, replay on demand.

Signature: `X-Onsite-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the endpoint secret>`,
as Stripe does, so receivers can refuse replays older than a few minutes.
"""

import hashlib
import hmac
import json
import logging
import secrets
import time
from datetime import timedelta

from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from fiscal.models import Invoice
from sellers.encryption import secret as wrap_secret
from sellers.models import Seller

from .models import WebhookDelivery, WebhookEndpoint, WebhookEvent

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Onsite-Signature"
TIMEOUT_SECONDS = 10
# Attempt n waits BACKOFF[n-1] before the next: ~1 min up to 6 h, about 8.6 h in total before giving up.
BACKOFF_SECONDS = [60, 300, 1800, 7200, 21600]
MAX_ATTEMPTS = len(BACKOFF_SECONDS) + 1
TASK = "portal.webhooks.deliver_webhook_task"
# What a seller may subscribe to: every event but the test, which only "send test" emits.
SUBSCRIBABLE_EVENTS = [(value, label) for value, label in WebhookEvent.choices if value != WebhookEvent.TEST]
LOCAL_HOSTS = ("127.0.0.1", "localhost")
RECENT_DELIVERIES = 5  # per endpoint on the portal page; the API pages through all of them


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def create_endpoint(seller: Seller, *, url: str, events: list[str] | None = None) -> tuple[WebhookEndpoint, str]:
    """Returns the endpoint and its secret: the only time the secret is available in clear."""
    plain = secrets.token_urlsafe(32)
    endpoint = WebhookEndpoint.objects.create(seller=seller, url=url, secret=wrap_secret(plain), events=events or [])
    return endpoint, plain


def validate_endpoint_url(url: str) -> None:
    """HTTPS only: the body carries invoice data. Plain http to this machine only while developing (DEBUG)."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if settings.DEBUG and parts.scheme == "http" and parts.hostname in LOCAL_HOSTS:
        return
    raise ValidationError(_("Use an HTTPS address (https://...): the deliveries carry your invoices' data."),
                          code="https_required")


def endpoints_for_page(seller: Seller) -> QuerySet:
    """The seller's endpoints, newest first, each with its last few deliveries prefetched."""
    recent = WebhookDelivery.objects.order_by("-created_at")[:RECENT_DELIVERIES]
    return (WebhookEndpoint.objects.for_seller(seller).order_by("-created_at")
            .prefetch_related(Prefetch("deliveries", queryset=recent, to_attr="recent_deliveries")))


def deactivate_endpoint(endpoint: WebhookEndpoint) -> None:
    """No new deliveries are recorded for it; those already queued still go out."""
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(active=False)


def delete_endpoint(endpoint: WebhookEndpoint) -> None:
    """Gone with its delivery history (cascade)."""
    endpoint.delete()


def send_test_event(endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A signed `webhook.test` delivery to this endpoint only, active or not, so the receiver can be checked."""
    data = {"endpoint": endpoint.pk, "message": "Onsite webhook test"}
    payload = {"event": WebhookEvent.TEST.value, "seller": endpoint.seller_id, "created_at": timezone.now(), "data": data}
    payload = json.loads(json.dumps(payload, cls=DjangoJSONEncoder))
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event=WebhookEvent.TEST, payload=payload)
    _enqueue(delivery.pk)
    return delivery


def redeliver_failed(delivery: WebhookDelivery) -> WebhookDelivery | None:
    """Replay a delivery that gave up; None for any other state (a retrying one still has attempts of its own)."""
    if delivery.status != WebhookDelivery.Status.FAILED:
        return None
    return replay_delivery(delivery)


def _enqueue(delivery_id: int) -> None:
    from django_q.tasks import async_task

    transaction.on_commit(lambda: async_task(TASK, delivery_id))


def emit_event(seller: Seller, event: str, data: dict) -> list[WebhookDelivery]:
    """Record one delivery per interested endpoint and send each after the current transaction commits."""
    payload = {"event": event, "seller": seller.pk, "created_at": timezone.now(), "data": data}
    payload = json.loads(json.dumps(payload, cls=DjangoJSONEncoder))
    deliveries = [
        WebhookDelivery.objects.create(endpoint=endpoint, event=event, payload=payload)
        for endpoint in WebhookEndpoint.objects.for_seller(seller).filter(active=True)
        if endpoint.wants(event)
    ]
    for delivery in deliveries:
        _enqueue(delivery.pk)
    return deliveries


def invoice_payload(invoice: Invoice) -> dict:
    return {
        "invoice": invoice.pk, "order": invoice.order_id, "amazon_order_id": invoice.order.amazon_order_id,
        "number": invoice.number, "series": invoice.series, "access_key": invoice.access_key,
        "status": invoice.status, "cStat": invoice.cstat, "xMotivo": invoice.xmotivo,
        "amazon_status": invoice.amazon_status, "error_message": invoice.error_message,
    }


def notify_invoice(invoice: Invoice, event: WebhookEvent) -> list[WebhookDelivery]:
    """For the fiscal and integration services: call after an invoice is authorized, rejected or accepted."""
    return emit_event(invoice.seller, event, invoice_payload(invoice))


def notify_credential_expiring(seller: Seller, *, credential: str, expires_at) -> list[WebhookDelivery]:
    """`credential` is "amazon_authorization" or "certificate"."""
    data = {"credential": credential, "expires_at": expires_at, "days_left": (expires_at - timezone.now()).days}
    return emit_event(seller, WebhookEvent.CREDENTIAL_EXPIRING, data)


def _claim(delivery: WebhookDelivery) -> bool:
    """Count the attempt with a conditional UPDATE: a duplicate task for the same attempt finds nothing to do."""
    open_states = [WebhookDelivery.Status.PENDING, WebhookDelivery.Status.RETRYING]
    return bool(WebhookDelivery.objects.filter(pk=delivery.pk, status__in=open_states, attempts=delivery.attempts)
                .update(attempts=F("attempts") + 1))


def _post(delivery: WebhookDelivery) -> requests.Response:
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    headers = {
        "Content-Type": "application/json", "User-Agent": "Onsite-Webhooks/1",
        SIGNATURE_HEADER: sign(delivery.endpoint.secret.reveal(), int(time.time()), body),
        "X-Onsite-Event": delivery.event, "X-Onsite-Delivery": str(delivery.pk),
    }
    return requests.post(delivery.endpoint.url, data=body, headers=headers, timeout=TIMEOUT_SECONDS, allow_redirects=False)


def deliver(delivery: WebhookDelivery) -> WebhookDelivery:
    """One attempt: 2xx is delivered; anything else is retried with backoff until MAX_ATTEMPTS, then failed."""
    if not _claim(delivery):
        delivery.refresh_from_db()
        return delivery
    delivery.refresh_from_db()
    try:
        response = _post(delivery)
    except requests.RequestException as exc:
        return _record_failure(delivery, None, "", type(exc).__name__)
    if 200 <= response.status_code < 300:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=WebhookDelivery.Status.DELIVERED, response_status=response.status_code,
            response_body=response.text[:2048], delivered_at=timezone.now(), last_error="", next_attempt_at=None)
    else:
        return _record_failure(delivery, response.status_code, response.text[:2048], f"HTTP {response.status_code}")
    delivery.refresh_from_db()
    return delivery


def _record_failure(delivery: WebhookDelivery, code: int | None, body: str, error: str) -> WebhookDelivery:
    gave_up = delivery.attempts >= MAX_ATTEMPTS
    next_at = None if gave_up else timezone.now() + timedelta(seconds=BACKOFF_SECONDS[delivery.attempts - 1])
    status = WebhookDelivery.Status.FAILED if gave_up else WebhookDelivery.Status.RETRYING
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=status, response_status=code, response_body=body, last_error=error, next_attempt_at=next_at)
    if next_at:
        _schedule_retry(delivery.pk, next_at)
    delivery.refresh_from_db()
    return delivery


def _schedule_retry(delivery_id: int, when) -> None:
    from django_q.models import Schedule

    Schedule.objects.create(func=TASK, args=str(delivery_id), schedule_type=Schedule.ONCE, next_run=when,
                            name=f"webhook-delivery-{delivery_id}-{int(when.timestamp())}")


def replay_delivery(delivery: WebhookDelivery) -> WebhookDelivery:
    """A fresh delivery of the same payload (the original stays as it was, for the record)."""
    copy = WebhookDelivery.objects.create(
        endpoint=delivery.endpoint, event=delivery.event, payload=delivery.payload, replay_of=delivery)
    _enqueue(copy.pk)
    return copy


def deliver_webhook_task(delivery_id: int) -> None:
    delivery = WebhookDelivery.objects.filter(pk=delivery_id).select_related("endpoint").first()
    if delivery is not None:
        deliver(delivery)
