import time

from django.utils import timezone

from fiscal.models import AmazonInvoiceStatus as Amazon
from fiscal.models import Invoice, InvoiceEvent, InvoiceStatus
from integration.models import RestrictedDataToken
from integration.orders_import import import_orders
from integration.shipment_invoicing import fetch_shipment, poll_invoice_status, resubmit_invoice, submit_invoice
from orders.models import Order

from .conftest import ORDER_SP, SHIPMENT_SP, control
from .helpers import authorized_invoice


def imported_order(seller) -> Order:
    import_orders(seller)
    order = Order.objects.get(seller=seller, amazon_order_id=ORDER_SP)
    fetch_shipment(order)
    return order


def poll_until_settled(invoice: Invoice, tries: int = 40) -> Invoice:
    for _ in range(tries):
        invoice = poll_invoice_status(invoice)
        if invoice.amazon_status != Amazon.PROCESSING:
            return invoice
        time.sleep(0.05)  # the sandbox validates for invoice_delay seconds
    return invoice


def uploads(handle, shipment=SHIPMENT_SP) -> list[dict]:
    return control(handle, "GET", f"invoices?shipmentId={shipment}")["invoices"]


def test_shipment_details_are_read_with_a_restricted_data_token(amazon, sp_seller):
    import_orders(sp_seller)
    order = Order.objects.get(seller=sp_seller, amazon_order_id=ORDER_SP)
    order.shipment_id = SHIPMENT_SP
    detail = fetch_shipment(order)
    assert detail.order_id == ORDER_SP and detail.payload["BuyerTaxInfo"]["TaxClassifications"][0]["Value"]
    rdt = RestrictedDataToken.objects.get(seller=sp_seller)
    assert rdt.path == f"/fba/outbound/brazil/v0/shipments/{SHIPMENT_SP}"
    assert amazon.store.one("SELECT COUNT(*) AS n FROM tokens WHERE kind = 'rdt'")["n"] == 1
    fetch_shipment(order)  # the cached RDT serves the second read
    assert amazon.store.one("SELECT COUNT(*) AS n FROM tokens WHERE kind = 'rdt'")["n"] == 1


def test_without_a_shipment_id_the_delivery_api_finds_it_by_order(amazon, sp_seller):
    order = imported_order(sp_seller)
    assert order.shipment_id == SHIPMENT_SP and order.shipment_seen_at is not None


def test_an_authorized_nfe_goes_all_the_way_to_accepted(amazon, sp_seller):
    invoice = authorized_invoice(imported_order(sp_seller))
    invoice = submit_invoice(invoice)
    assert invoice.amazon_status == Amazon.PROCESSING and invoice.amazon_next_poll_at
    invoice = poll_until_settled(invoice)
    assert invoice.amazon_status == Amazon.ACCEPTED and invoice.amazon_accepted_at
    assert invoice.seconds_to_accepted is not None
    sent = uploads(amazon)
    assert len(sent) == 1 and sent[0]["access_key"] == invoice.access_key
    events = InvoiceEvent.objects.filter(invoice=invoice, kind=InvoiceEvent.Kind.AMAZON)
    assert any("submitInvoice" in e.request for e in events)
    assert not any("Atza|" in e.request + e.response or "Atz.sprdt" in e.request + e.response for e in events)


def test_submitting_twice_uploads_once(amazon, sp_seller):
    invoice = submit_invoice(authorized_invoice(imported_order(sp_seller)))
    submit_invoice(invoice)
    assert len(uploads(amazon)) == 1


def test_after_a_crash_mid_submission_an_accepted_invoice_is_not_sent_again(amazon, sp_seller):
    invoice = poll_until_settled(submit_invoice(authorized_invoice(imported_order(sp_seller))))
    assert invoice.amazon_status == Amazon.ACCEPTED
    # the worker died after Amazon got the upload but before we stored it: the claim lapsed
    Invoice.objects.filter(pk=invoice.pk).update(amazon_status=Amazon.SUBMITTING, amazon_accepted_at=None,
                                                 updated_at=timezone.now() - timezone.timedelta(hours=1))
    invoice = submit_invoice(Invoice.objects.get(pk=invoice.pk))
    assert invoice.amazon_status == Amazon.ACCEPTED and len(uploads(amazon)) == 1


def test_an_errored_invoice_keeps_the_reason_and_a_fixed_one_is_accepted(amazon, sp_seller):
    order = imported_order(sp_seller)
    wrong = poll_until_settled(submit_invoice(authorized_invoice(order, intermediary="11222333000181")))
    assert wrong.amazon_status == Amazon.ERRORED and "infIntermed" in wrong.amazon_error
    Invoice.objects.filter(pk=wrong.pk).update(status=InvoiceStatus.CANCELLED)  # the fiscal app cancels it
    fixed = poll_until_settled(submit_invoice(authorized_invoice(order, number=2)))
    assert fixed.amazon_status == Amazon.ACCEPTED and len(uploads(amazon)) == 2


def test_an_invoice_errored_at_amazon_can_be_resubmitted(amazon, sp_seller):
    invoice = submit_invoice(authorized_invoice(imported_order(sp_seller)))
    control(amazon, "POST", f"shipments/{SHIPMENT_SP}/invoice-error", reason="Erro de validação simulado")
    invoice = poll_until_settled(invoice)
    assert invoice.amazon_status == Amazon.ERRORED
    invoice = poll_until_settled(resubmit_invoice(invoice))
    assert invoice.amazon_status == Amazon.ACCEPTED and len(uploads(amazon)) == 2


def test_an_invoice_amazon_never_received_is_submitted_again(amazon, sp_seller):
    invoice = authorized_invoice(imported_order(sp_seller))
    Invoice.objects.filter(pk=invoice.pk).update(amazon_status=Amazon.PROCESSING, amazon_submitted_at=timezone.now())
    invoice = poll_invoice_status(Invoice.objects.get(pk=invoice.pk))  # NotFound at Amazon
    assert invoice.amazon_status == Amazon.PROCESSING and len(uploads(amazon)) == 1
