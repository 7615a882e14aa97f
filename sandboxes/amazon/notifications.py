"""FBA_OUTBOUND_SHIPMENT_STATUS and ORDER_CHANGE notifications, sent to an SQS queue.

Bodies follow the official notification JSON Schemas; every message gets its own
`NotificationMetadata.NotificationId`, kept in the store so a control call can deliver the
very same message twice (Amazon's delivery is at-least-once).
"""

import json
import uuid
from datetime import datetime, timezone

from . import invoice_state
from .scenario import iso
from .state import Store, now

# v2026 fulfillmentStatus -> ORDER_CHANGE Summary.OrderStatus
ORDER_STATUS = {
    "PENDING_AVAILABILITY": "PendingAvailability", "PENDING": "Pending", "UNSHIPPED": "Unshipped",
    "PARTIALLY_SHIPPED": "PartiallyShipped", "SHIPPED": "Shipped", "CANCELLED": "Canceled",
    "UNFULFILLABLE": "Unfulfillable",
}
FULFILLMENT_TYPE = {"AMAZON": "AFN", "MERCHANT": "MFN"}


class Publisher:
    """Sends to SQS when configured; always records what it sent."""

    def __init__(self, store: Store, *, queue_url: str | None = None, endpoint_url: str | None = None,
                 region: str = "us-east-1"):
        self.store, self.queue_url = store, queue_url
        self._sqs = _sqs_client(endpoint_url, region) if queue_url else None

    def publish(self, message: dict) -> dict:
        if self._sqs:
            self._sqs.send_message(QueueUrl=self.queue_url, MessageBody=json.dumps(message))
        self.store.execute(
            "INSERT INTO notifications (notification_id, type, body, published_at, delivered) VALUES (?, ?, ?, ?, ?)",
            message["NotificationMetadata"]["NotificationId"], message["NotificationType"], message, now(),
            int(bool(self._sqs)),
        )
        return message

    def duplicate(self, notification_id: str) -> dict | None:
        row = self.store.one("SELECT body FROM notifications WHERE notification_id = ? ORDER BY id LIMIT 1", notification_id)
        return self.publish(row["body"]) if row else None


def _sqs_client(endpoint_url: str | None, region: str):
    import boto3  # only when a queue is configured

    return boto3.client("sqs", endpoint_url=endpoint_url, region_name=region,
                        aws_access_key_id="sandbox", aws_secret_access_key="sandbox")  # noqa: S106 - local only


def envelope(store: Store, notification_type: str, payload: dict) -> dict:
    stamp = iso(datetime.now(timezone.utc))
    app = store.get_meta("application")
    return {
        "NotificationVersion": "1.0",
        "NotificationType": notification_type,
        "PayloadVersion": "1.0",
        "EventTime": stamp,
        "Payload": payload,
        "NotificationMetadata": {
            "ApplicationId": app["application_id"],
            "SubscriptionId": f"sandbox-{notification_type.lower()}",
            "PublishTime": stamp,
            "NotificationId": str(uuid.uuid4()),
        },
    }


def shipment_status(store: Store, shipment: dict, status: str) -> dict:
    return envelope(store, "FBA_OUTBOUND_SHIPMENT_STATUS", {"FBAOutboundShipmentStatusNotification": {
        "SellerId": shipment["seller_id"], "AmazonOrderId": shipment["order_id"],
        "AmazonShipmentId": shipment["shipment_id"], "ShipmentStatus": status,
    }})


def order_change(store: Store, row: dict, reason: str) -> dict:
    order, extra = row["body"], row.get("extra") or {}
    fulfillment = order.get("fulfillment", {})
    items = order["orderItems"]
    shipped = sum(i.get("fulfillment", {}).get("quantityFulfilled", 0) for i in items)
    ordered = sum(i["quantityOrdered"] for i in items)
    summary = {
        "MarketplaceId": order["salesChannel"].get("marketplaceId", ""),
        "OrderStatus": ORDER_STATUS[fulfillment.get("fulfillmentStatus", "PENDING")],
        "PurchaseDate": order["createdTime"],
        "DestinationPostalCode": order.get("recipient", {}).get("deliveryAddress", {}).get("postalCode"),
        "FulfillmentType": FULFILLMENT_TYPE[fulfillment.get("fulfilledBy", "AMAZON")],
        "OrderType": "StandardOrder",
        "NumberOfItemsShipped": shipped,
        "NumberOfItemsUnshipped": ordered - shipped,
        "OrderItems": [_order_change_item(i, extra) for i in items],
    }
    invoice = invoice_state.order_status(store, order["orderId"])
    if invoice:
        summary["ElectronicInvoiceStatus"] = {v: k for k, v in invoice_state.V2026_STATUS.items()}[invoice]
    return envelope(store, "ORDER_CHANGE", {"OrderChangeNotification": {
        "NotificationLevel": "OrderLevel", "SellerId": row["seller_id"], "AmazonOrderId": order["orderId"],
        "OrderChangeType": "OrderStatusChange",
        "OrderChangeTrigger": {"TimeOfOrderChange": order["lastUpdatedTime"], "ChangeReason": reason},
        "Summary": summary,
    }})


def _order_change_item(item: dict, extra: dict) -> dict:
    return {
        "OrderItemId": item["orderItemId"],
        "SellerSKU": item["product"].get("sellerSku", ""),
        "SupplySourceId": extra.get("supplySourceId", "sandbox-supply-source"),
        "Quantity": item["quantityOrdered"],
        "QuantityShipped": item.get("fulfillment", {}).get("quantityFulfilled", 0),
    }


def publish_startup(store: Store, publisher: Publisher) -> int:
    """One ORDER_CHANGE per order and one shipment notification per shipment, as a fresh
    subscription would see them."""
    sent = 0
    for row in store.all("SELECT * FROM orders ORDER BY created_time, order_id"):
        publisher.publish(order_change(store, row, "Order created"))
        sent += 1
    for shipment in store.all("SELECT * FROM shipments ORDER BY shipment_id"):
        publisher.publish(shipment_status(store, shipment, shipment["status"]))
        sent += 1
    return sent
