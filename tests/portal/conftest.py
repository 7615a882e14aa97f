"""Seller A's world (one of everything the portal and API show) and logged-in clients for the personas."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from fiscal.models import AmazonInvoiceStatus, Invoice, InvoiceEvent, InvoiceStatus
from orders.models import PreflightStatus
from portal.webhooks import create_endpoint
from portal.models import WebhookDelivery
from products.models import Offer
from tests.reference_fixtures import reference_data, reference_tables  # noqa: F401
from tests.factories import (
    AmazonAuthorizationFactory, CertificateFactory, OfferFactory, OrderFactory, OrderItemFactory, ProductFactory,
)

NFE_PROC = b'<?xml version="1.0" encoding="UTF-8"?><nfeProc xmlns="http://www.portalfiscal.inf.br/nfe" versao="4.00"><NFe/><protNFe/></nfeProc>'


def make_invoice(order, *, number: int, status=InvoiceStatus.AUTHORIZED, **extra) -> Invoice:
    key = f"35{timezone.now():%y%m}{order.seller.cnpj}55001{number:09d}1{number:08d}"
    key += str(number % 10)
    defaults = dict(
        seller=order.seller, order=order, environment=2, series=1, number=number, access_key=key[:44],
        cnf=f"{number:08d}", issued_at=timezone.now(), status=status, total=order.order_total,
        signed_xml=b"<NFe/>", digest_value="x",
    )
    if status == InvoiceStatus.AUTHORIZED:
        defaults.update(authorized_xml=NFE_PROC, authorized_at=timezone.now(), protocol="135250000000001", cstat="100",
                        xmotivo="Autorizado o uso da NF-e")
    defaults.update(extra)
    return Invoice.objects.create(**defaults)


@pytest.fixture
def world_a(seller_a, reference_data):
    """Seller A's objects, one per type the portal/API can address by id."""
    product = ProductFactory(seller=seller_a, sku="ALFA-SKU-1", title="Fone Alfa", ncm="85183000")
    order = OrderFactory(seller=seller_a, amazon_order_id="701-ALFA001-0000001")
    OrderItemFactory(order=order, sku=product.sku, product=product)
    invoice = make_invoice(order, number=11, amazon_status=AmazonInvoiceStatus.ACCEPTED,
                           amazon_accepted_at=timezone.now() + timedelta(minutes=20))
    InvoiceEvent.objects.create(invoice=invoice, kind=InvoiceEvent.Kind.SEFAZ, cstat="100", message="Autorizado o uso da NF-e",
                                from_status="sending", to_status="authorized")
    blocked = OrderFactory(seller=seller_a, amazon_order_id="701-ALFA002-0000002", preflight_status=PreflightStatus.BLOCKED,
                           preflight_issues=[{"category": "fiscal_attributes", "code": "ncm_missing",
                                              "message": "O produto ALFA-SKU-2 está sem NCM.", "field": "ncm", "fix_url_name": ""}])
    incomplete = ProductFactory(seller=seller_a, sku="ALFA-SKU-2", ncm="", title="Capa Alfa")
    OrderItemFactory(order=blocked, sku=incomplete.sku, product=incomplete)
    offer = OfferFactory(seller=seller_a, sku="ALFA-SKU-1", product=product, is_hybrid=True)
    endpoint, _secret = create_endpoint(seller_a, url="http://127.0.0.1:9/hook")
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event="invoice.authorized", payload={"a": 1})
    return {
        "product": product, "incomplete": incomplete, "order": order, "blocked": blocked, "invoice": invoice,
        "offer": offer, "certificate": CertificateFactory(seller=seller_a),
        "authorization": AmazonAuthorizationFactory(seller=seller_a), "endpoint": endpoint, "delivery": delivery,
        "tax_group": product.tax_group,
    }


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def client_a(user_a):
    return logged_in(user_a)


@pytest.fixture
def client_b(user_b):
    return logged_in(user_b)
