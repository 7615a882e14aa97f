"""Every SP-API notification shape we subscribe to is recognised, including the camelCase report one."""

import json

import pytest

from integration.models import ProcessedNotification
from integration.notifications import ConsumeResult, handle_message

pytestmark = pytest.mark.django_db


def test_a_report_finished_notification_in_camel_case_is_recorded_not_dropped():
    body = json.dumps({
        "notificationVersion": "2020-09-04", "notificationType": "REPORT_PROCESSING_FINISHED",
        "payloadVersion": "2020-09-04", "eventTime": "2026-11-27T12:00:00Z",
        "payload": {"reportProcessingFinishedNotification": {"sellerId": "AXXXX", "reportId": "1", "reportType": "GET_MERCHANT_LISTINGS_ALL_DATA", "processingStatus": "DONE", "reportDocumentId": "doc-1"}},
        "notificationMetadata": {"applicationId": "app", "subscriptionId": "sub", "publishTime": "2026-11-27T12:00:00Z", "notificationId": "report-n-1"},
    })
    result = ConsumeResult()
    assert handle_message(body, result) == "processed"
    assert ProcessedNotification.objects.get(notification_id="report-n-1").notification_type == "REPORT_PROCESSING_FINISHED"
    assert handle_message(body, result) == "duplicate"


def test_a_message_that_is_not_a_notification_is_dropped_with_a_warning(caplog):
    assert handle_message("not json", ConsumeResult()) == "ignored"
    assert ProcessedNotification.objects.count() == 0
