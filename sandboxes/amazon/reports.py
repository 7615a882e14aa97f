"""Reports API 2021-06-30 for `GET_MERCHANT_LISTINGS_ALL_DATA`: createReport, getReport,
getReportDocument, and the gzipped TSV document behind a pre-signed-style URL.

A report moves IN_QUEUE -> IN_PROGRESS -> DONE with time (`reportDelaySeconds`, default 1 s);
the document is a snapshot of the seller's listings taken when the report is done, one row per
(SKU, fulfillment channel), UTF-8, tab-separated, with Amazon's column names.
"""

import gzip
import io
import json
import uuid
from datetime import datetime, timezone

from . import listing_store as ls
from .router import sp_operation
from .scenario import iso
from .state import now
from .web import ApiError, Call, Reply, invalid_input, json_body

MODEL = "reports_2021-06-30.json"
SUPPORTED = {"GET_MERCHANT_LISTINGS_ALL_DATA"}
DEFAULT_DELAY = 1.0
COLUMNS = ("item-name", "item-description", "listing-id", "seller-sku", "price", "quantity", "open-date",
           "image-url", "item-is-marketplace", "product-id-type", "zshop-shipping-fee", "item-note",
           "item-condition", "zshop-category1", "zshop-browse-path", "zshop-storefront-feature", "asin1", "asin2",
           "asin3", "will-ship-internationally", "expedited-shipping", "zshop-boldface", "product-id",
           "bid-for-featured-placement", "add-delete", "pending-quantity", "fulfillment-channel",
           "merchant-shipping-group", "status")


def delay(store) -> float:
    return float(store.get_meta("reportDelaySeconds", DEFAULT_DELAY))


@sp_operation(MODEL, "createReport")
def create_report(call: Call) -> Reply:
    spec = json_body(call.request)
    if spec.get("reportType") not in SUPPORTED:
        raise invalid_input(f"Report type {spec.get('reportType')!r} is not supported by this sandbox.")
    if spec.get("marketplaceIds") != [ls.BRAZIL]:
        raise invalid_input("The open-listings reports take exactly one marketplace: A2Q3Y263D00KWC.")
    report_id = str(uuid.uuid4().int)[:11]
    body = {"reportId": report_id, "reportType": spec["reportType"], "marketplaceIds": spec["marketplaceIds"],
            "createdTime": iso_now()}
    call.store.execute("INSERT INTO reports (report_id, seller_id, created_at, body) VALUES (?, ?, ?, ?)",
                       report_id, call.seller_id, now(), body)
    return Reply(202, {"reportId": report_id})


def iso_now() -> str:
    return iso(datetime.now(timezone.utc))


@sp_operation(MODEL, "getReport")
def get_report(call: Call) -> Reply:
    row = call.store.one("SELECT * FROM reports WHERE report_id = ? AND seller_id = ?", call.params["reportId"],
                         call.seller_id)
    if not row:
        raise ApiError(404, "NotFound", "Report not found.", call.params["reportId"])
    elapsed = now() - row["created_at"]
    report = dict(row["body"])
    if elapsed < delay(call.store) / 3:
        report["processingStatus"] = "IN_QUEUE"
    elif elapsed < delay(call.store):
        report.update(processingStatus="IN_PROGRESS", processingStartTime=report["createdTime"])
    else:
        document_id = row["document_id"] or finish(call.sandbox, row)
        report.update(processingStatus="DONE", processingStartTime=report["createdTime"],
                      processingEndTime=iso_now(), reportDocumentId=document_id)
    return Reply(200, report)


def finish(sandbox, row: dict) -> str:
    """Snapshot the listings into a gzipped TSV and announce it (REPORT_PROCESSING_FINISHED)."""
    store = sandbox.store
    document_id = f"amzn1.spdoc.1.4.na.{uuid.uuid4()}"
    content, rows = listings_tsv(ls.all_for(store, row["seller_id"]))
    store.execute("INSERT INTO report_documents (document_id, seller_id, rows, content) VALUES (?, ?, ?, ?)",
                  document_id, row["seller_id"], rows, gzip.compress(content, compresslevel=5))
    store.execute("UPDATE reports SET document_id = ? WHERE report_id = ?", document_id, row["report_id"])
    publish_finished(sandbox, row, document_id)
    return document_id


def listings_tsv(bodies: list[dict]) -> tuple[bytes, int]:
    out = io.StringIO()
    out.write("\t".join(COLUMNS) + "\n")
    rows = 0
    for body in bodies:
        for channel in ls.channels(body):
            out.write("\t".join(_row(body, channel)) + "\n")
            rows += 1
    return out.getvalue().encode("utf-8"), rows


def _row(body: dict, channel: dict) -> list[str]:
    code = channel["fulfillment_channel_code"]
    quantity = "" if ls.is_amazon(code) else str(channel.get("quantity") or 0)
    values = {
        "item-name": body["attributes"].get("item_name", [{}])[0].get("value", ""), "listing-id": body["sku"][-10:],
        "seller-sku": body["sku"], "price": ls.price_of(body) or "", "quantity": quantity,
        "open-date": body["createdDate"].replace("T", " ").replace("Z", " UTC"), "item-is-marketplace": "y",
        "product-id-type": "1", "item-condition": "11", "asin1": body.get("asin") or "",
        "product-id": body.get("asin") or "", "fulfillment-channel": code,
        "status": "Active" if "BUYABLE" in ls.statuses(body) else "Inactive",
    }
    return [values.get(column, "").replace("\t", " ") for column in COLUMNS]


@sp_operation(MODEL, "getReportDocument")
def get_report_document(call: Call) -> Reply:
    document_id = call.params["reportDocumentId"]
    row = call.store.one("SELECT document_id FROM report_documents WHERE document_id = ? AND seller_id = ?",
                         document_id, call.seller_id)
    if not row:
        raise ApiError(404, "NotFound", "Report document not found.", document_id)
    url = f"{call.request.host_url.rstrip('/')}/_sandbox/report-documents/{document_id}"
    return Reply(200, {"reportDocumentId": document_id, "url": url, "compressionAlgorithm": "GZIP"})


def publish_finished(sandbox, row: dict, document_id: str) -> dict:
    """REPORT_PROCESSING_FINISHED uses camelCase keys, unlike the other notifications."""
    stamp = iso_now()
    notification_id = str(uuid.uuid4())
    message = {
        "notificationVersion": "2020-09-04", "notificationType": "REPORT_PROCESSING_FINISHED",
        "payloadVersion": "2020-09-04", "eventTime": stamp,
        "payload": {"reportProcessingFinishedNotification": {
            "sellerId": row["seller_id"], "accountId": f"amzn1.merchant.o.{row['seller_id']}",
            "reportId": row["report_id"], "reportType": row["body"]["reportType"], "processingStatus": "DONE",
            "reportDocumentId": document_id}},
        "notificationMetadata": {"applicationId": sandbox.store.get_meta("application")["application_id"],
                                 "subscriptionId": "sandbox-report_processing_finished", "publishTime": stamp,
                                 "notificationId": notification_id},
    }
    publisher = sandbox.publisher
    if publisher._sqs:
        publisher._sqs.send_message(QueueUrl=publisher.queue_url, MessageBody=json.dumps(message))
    sandbox.store.execute(
        "INSERT INTO notifications (notification_id, type, body, published_at, delivered) VALUES (?, ?, ?, ?, ?)",
        notification_id, "REPORT_PROCESSING_FINISHED", message, now(), int(bool(publisher._sqs)))
    return message
