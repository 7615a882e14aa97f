"""The order timeline speaks Portuguese: Amazon's statuses in words, not codes; polls stay in the admin."""

import pytest
from django.utils import timezone, translation

from fiscal.models import Invoice, InvoiceEvent
from portal.timeline import order_timeline
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db


def _invoice(order):
    return Invoice.objects.create(
        seller=order.seller, order=order, environment=2, series=1, number=7, access_key="4" * 44, cnf="12345678",
        issued_at=timezone.now(), signed_xml=b"<NFe/>", digest_value="x", status="authorized",
        amazon_status="accepted", amazon_submitted_at=timezone.now(), amazon_accepted_at=timezone.now(),
    )


def test_amazon_status_changes_read_as_words_and_polls_are_left_out():
    order = OrderFactory(amazon_status="UNSHIPPED", shipment_id="D01FBA")
    invoice = _invoice(order)
    InvoiceEvent.objects.create(invoice=invoice, kind="amazon", from_status="processing", to_status="accepted")
    InvoiceEvent.objects.create(invoice=invoice, kind="amazon", request="getInvoiceStatus shipment=D01FBA", response="Processing")
    with translation.override("pt-br"):
        messages = [step.message for step in order_timeline(order)]
    assert "Remessa D01FBA; pedido a enviar na Amazon." in messages
    assert "Aceita pela Amazon" in messages
    assert not any("getInvoiceStatus" in m or m == "accepted" for m in messages)


def test_an_order_without_shipment_says_amazon_has_not_created_it():
    order = OrderFactory(amazon_status="UNSHIPPED", shipment_id="")
    with translation.override("pt-br"):
        assert order_timeline(order)[0].message == "A Amazon ainda não criou a remessa; pedido a enviar."
