"""The outcomes a seller subscribes to reach their webhook: authorized, rejected, accepted by Amazon, expiring."""

from datetime import timedelta

import pytest
from django.utils import timezone

from fiscal.models import Invoice, InvoiceStatus
from fiscal.transitions import transition
from portal.models import WebhookDelivery, WebhookEvent
from portal.webhooks import create_endpoint
from tests.factories import AmazonAuthorizationFactory, OrderFactory

pytestmark = pytest.mark.django_db(transaction=True)
CLOSED_PORT = "http://127.0.0.1:9/hook"  # nothing listens: the delivery is recorded and retried later


def _invoice(seller):
    order = OrderFactory(seller=seller)
    return Invoice.objects.create(
        seller=seller, order=order, environment=2, series=1, number=1, access_key="3" * 44, cnf="12345678",
        issued_at=timezone.now(), signed_xml=b"<NFe/>", digest_value="x",
    )


def test_an_authorized_invoice_is_announced_once_to_the_sellers_endpoint(seller_a, seller_b):
    create_endpoint(seller_a, url=CLOSED_PORT)
    create_endpoint(seller_b, url=CLOSED_PORT)
    invoice = _invoice(seller_a)
    transition(invoice, InvoiceStatus.SENDING)
    transition(invoice, InvoiceStatus.AUTHORIZED, cstat="100")
    deliveries = WebhookDelivery.objects.filter(event=WebhookEvent.INVOICE_AUTHORIZED)
    assert [d.endpoint.seller_id for d in deliveries] == [seller_a.pk]
    assert deliveries.get().payload["data"]["access_key"] == invoice.access_key


def test_a_rejection_is_announced_and_a_sending_step_is_not(seller_a):
    create_endpoint(seller_a, url=CLOSED_PORT)
    invoice = _invoice(seller_a)
    transition(invoice, InvoiceStatus.SENDING)
    assert not WebhookDelivery.objects.exists()
    transition(invoice, InvoiceStatus.REJECTED, cstat="778")
    assert list(WebhookDelivery.objects.values_list("event", flat=True)) == [WebhookEvent.INVOICE_REJECTED]


def test_an_expiring_authorization_is_announced_with_the_warning(seller_a):
    from integration.expiry import check_expiries

    create_endpoint(seller_a, url=CLOSED_PORT)
    AmazonAuthorizationFactory(seller=seller_a, authorized_at=timezone.now() - timedelta(days=360))
    check_expiries()
    check_expiries()
    assert list(WebhookDelivery.objects.values_list("event", flat=True)) == [WebhookEvent.CREDENTIAL_EXPIRING]
