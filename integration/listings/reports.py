"""The open-listings report `GET_MERCHANT_LISTINGS_ALL_DATA`: request it, wait for it, stream it.

`searchListingsItems` stops at 1,000 SKUs, so the whole catalogue comes from this report. The
document is read as a stream (gunzip -> UTF-8 -> TSV rows) and never held whole: a 100,000-row
report is ~20 MB of text, and the rows are handed on one by one.
"""

import csv
import gzip
import io
import time
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Iterator

from django.conf import settings
from django.utils.translation import gettext as _

from ..client import SpApiClient
from ..http import SpApiError, error_from, send
from . import api

REPORT_TYPE = "GET_MERCHANT_LISTINGS_ALL_DATA"
FINAL = {"DONE", "CANCELLED", "FATAL"}
POLL_SECONDS = 2.0  # getReport allows 2 req/s; a few seconds between polls leaves room for other calls
MAX_WAIT_SECONDS = 1800.0  # Amazon usually needs minutes for this report; half an hour means something is wrong
csv.field_size_limit(1 << 20)  # item descriptions can be long


@dataclass(frozen=True, slots=True)
class ListingRow:
    sku: str
    asin: str
    channel: str
    price: Decimal | None
    quantity: int | None
    status: str
    title: str


class ReportFailed(SpApiError):
    def __init__(self, report_id: str, status: str):
        super().__init__("ReportFailed", _("Amazon could not produce the listings report %(id)s (status %(status)s). "
                                           "It will be requested again at the next refresh.")
                         % {"id": report_id, "status": status}, retryable=True)


def request_report(client: SpApiClient) -> str:
    return api.create_report(client, REPORT_TYPE)


def wait_for_document(client: SpApiClient, report_id: str, *, poll: float | None = None,
                      max_wait: float = MAX_WAIT_SECONDS) -> str:
    """Poll getReport until DONE and return its reportDocumentId (REPORT_PROCESSING_FINISHED carries the
    same id: `document_id_from_notification`)."""
    poll = getattr(settings, "LISTINGS_REPORT_POLL_SECONDS", POLL_SECONDS) if poll is None else poll
    waited = 0.0
    while True:
        report = api.get_report(client, report_id)
        status = report.get("processingStatus", "")
        if status == "DONE":
            return report["reportDocumentId"]
        if status in FINAL or waited >= max_wait:
            raise ReportFailed(report_id, status or "TIMEOUT")
        time.sleep(poll)
        waited += poll


def document_id_from_notification(message: dict) -> tuple[str, str] | None:
    """(reportId, reportDocumentId) of a REPORT_PROCESSING_FINISHED message that finished DONE."""
    body = (message.get("payload") or {}).get("reportProcessingFinishedNotification") or {}
    if body.get("processingStatus") != "DONE" or body.get("reportType") != REPORT_TYPE:
        return None
    return body["reportId"], body["reportDocumentId"]


def stream_rows(client: SpApiClient, document_id: str) -> Iterator[ListingRow]:
    document = api.get_report_document(client, document_id)
    response = send("GET", document["url"], stream=True)
    if response.status_code >= 400:
        raise error_from(response)
    raw = response.raw
    raw.decode_content = True  # undo any transfer Content-Encoding; GZIP of the document itself stays
    binary = gzip.GzipFile(fileobj=raw) if document.get("compressionAlgorithm") == "GZIP" else raw
    try:
        yield from parse_rows(io.TextIOWrapper(binary, encoding="utf-8", errors="replace", newline=""))
    finally:
        response.close()


def parse_rows(text) -> Iterator[ListingRow]:
    reader = csv.reader(text, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader, None)
    if not header:
        return
    index = {name.strip(): i for i, name in enumerate(header)}
    columns = [index.get(n) for n in ("seller-sku", "asin1", "fulfillment-channel", "price", "quantity", "status",
                                      "item-name")]
    if columns[0] is None or columns[2] is None:
        raise SpApiError("ReportFormat", "listings report lacks seller-sku or fulfillment-channel", retryable=False)
    for cells in reader:
        if len(cells) > columns[0] and cells[columns[0]]:
            yield _row(cells, columns)


def _cell(cells: list[str], at: int | None) -> str:
    return cells[at].strip() if at is not None and at < len(cells) else ""


def _row(cells: list[str], columns: list) -> ListingRow:
    sku, asin, channel, price, quantity, status, title = (_cell(cells, at) for at in columns)
    return ListingRow(sku, asin, channel or "DEFAULT", _decimal(price), int(quantity) if quantity.isdigit() else None,
                      status, title)


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text else None
    except InvalidOperation:
        return None
