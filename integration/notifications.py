"""SP-API notifications from SQS: FBA_OUTBOUND_SHIPMENT_STATUS and ORDER_CHANGE.

Delivery is at least once and out of order. Each NotificationId is inserted first (unique), claimed,
acted on, then marked done; the SQS message is deleted only after that commit. A worker that dies
mid-way leaves the row claimed but not done, so the redelivered message is processed again after
CLAIM_TIMEOUT; a finished one is recognised and just deleted. The polling sweep (`import_orders`)
backs this up: a lost notification delays an invoice but never loses it.
"""

import json
import logging
from dataclasses import dataclass, field
from datetime import timedelta

import boto3
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from fiscal.models import Invoice, InvoiceStatus
from orders.models import Order
from sellers.models import AmazonAuthorization

from .http import SpApiError
from .models import ProcessedNotification
from .orders_import import import_one

log = logging.getLogger("integration.notifications")
CLAIM_TIMEOUT = timedelta(minutes=5)
SHIPMENT = "FBA_OUTBOUND_SHIPMENT_STATUS"
ORDER_CHANGE = "ORDER_CHANGE"
CANCELLED = {"Cancelled", "Canceled", "CANCELLED"}


@dataclass
class ConsumeResult:
    received: int = 0
    processed: int = 0
    duplicates: int = 0
    failed: int = 0
    order_ids: list[str] = field(default_factory=list)


def sqs_client():
    return boto3.client("sqs", endpoint_url=settings.SQS_ENDPOINT_URL, region_name=settings.AWS_REGION)


def consume_notifications(max_messages: int = 10, *, wait_seconds: int = 0, client=None) -> ConsumeResult:
    """Read up to `max_messages` messages, act on each, delete the ones whose work is committed."""
    sqs, result = client or sqs_client(), ConsumeResult()
    while result.received < max_messages:
        batch = sqs.receive_message(QueueUrl=settings.SQS_QUEUE_URL, WaitTimeSeconds=wait_seconds,
                                    MaxNumberOfMessages=min(10, max_messages - result.received)).get("Messages", [])
        if not batch:
            break
        for message in batch:
            result.received += 1
            outcome = handle_message(message["Body"], result)
            if outcome != "failed":  # a failure stays in the queue and comes back after the visibility timeout
                sqs.delete_message(QueueUrl=settings.SQS_QUEUE_URL, ReceiptHandle=message["ReceiptHandle"])
    return result


# Listings stay current between report refreshes; the model's enum and its example disagree on the name.
LISTINGS_CHANGE = ("LISTINGS_ITEM_STATUS_CHANGE", "LISTINGS_ITEM_STATUS_CHANGED")


def handle_message(body: str, result: ConsumeResult) -> str:
    try:
        notification = json.loads(body)
        notification_id = _notification_id(notification)
    except (ValueError, KeyError, TypeError):
        log.warning("SQS message is not an SP-API notification; dropped")
        return "ignored"
    row = _claim(notification_id, notification)
    if row is None:
        result.duplicates += 1
        return "duplicate"
    try:
        _act(notification, row, result)
    except SpApiError as exc:
        log.warning("notification %s failed: %s", notification_id, exc.code)
        ProcessedNotification.objects.filter(pk=row.pk).update(claimed_at=None)
        result.failed += 1
        return "failed"
    ProcessedNotification.objects.filter(pk=row.pk).update(done_at=timezone.now())
    result.processed += 1
    return "processed"


def _notification_id(notification: dict) -> str:
    """Most notifications use PascalCase metadata; REPORT_PROCESSING_FINISHED uses camelCase."""
    if "NotificationMetadata" in notification:
        return notification["NotificationMetadata"]["NotificationId"]
    return notification["notificationMetadata"]["notificationId"]


def _claim(notification_id: str, notification: dict) -> ProcessedNotification | None:
    """Insert first (the unique id is the dedupe); None when it is done or another worker holds it."""
    row, _ = ProcessedNotification.objects.get_or_create(
        notification_id=notification_id,
        defaults={"notification_type": notification.get("NotificationType") or notification.get("notificationType", ""),
                  "payload": notification},
    )
    free = Q(claimed_at__isnull=True) | Q(claimed_at__lt=timezone.now() - CLAIM_TIMEOUT)
    claimed = ProcessedNotification.objects.filter(free, pk=row.pk, done_at__isnull=True).update(claimed_at=timezone.now())
    return row if claimed else None


def _act(notification: dict, row: ProcessedNotification, result: ConsumeResult) -> None:
    kind = notification.get("NotificationType") or notification.get("notificationType")
    if kind in LISTINGS_CHANGE:
        from integration.listings.sync import apply_listing_notification

        apply_listing_notification(notification)
        return
    payload = notification.get("Payload") or {}
    body = payload.get("FBAOutboundShipmentStatusNotification") or payload.get("OrderChangeNotification") or {}
    authorization = AmazonAuthorization.objects.filter(selling_partner_id=body.get("SellerId")).select_related("seller").first()
    if authorization is None or kind not in (SHIPMENT, ORDER_CHANGE):
        log.info("notification %s ignored (type %s, unknown seller or type)", row.notification_id, kind)
        return
    seller = authorization.seller
    ProcessedNotification.objects.filter(pk=row.pk).update(seller=seller)
    if kind == ORDER_CHANGE:
        import_one(seller, body["AmazonOrderId"])
    else:
        shipment_status_changed(seller, body)
    result.order_ids.append(body["AmazonOrderId"])


def shipment_status_changed(seller, body: dict) -> Order:
    """Record the shipment (starts the clock to Accepted); a cancelled shipment flags its authorized NF-e."""
    order = Order.objects.filter(seller=seller, amazon_order_id=body["AmazonOrderId"]).first()
    if order is None:
        order = import_one(seller, body["AmazonOrderId"])
    updates = {"shipment_id": body["AmazonShipmentId"]}
    if order.shipment_seen_at is None:
        updates["shipment_seen_at"] = timezone.now()
    Order.objects.filter(pk=order.pk).update(updated_at=timezone.now(), **updates)
    if body.get("ShipmentStatus") in CANCELLED:
        Invoice.objects.filter(order=order, status=InvoiceStatus.AUTHORIZED).update(needs_cancellation=True)
    order.refresh_from_db()
    return order
