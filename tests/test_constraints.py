from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from fiscal.models import Invoice, InvoiceStatus
from tests.factories import OrderFactory, SellerFactory

pytestmark = pytest.mark.django_db


def _invoice(order, number, *, status=InvoiceStatus.SIGNED, key_suffix="0"):
    return Invoice.objects.create(
        seller=order.seller, order=order, environment=2, series=1, number=number,
        access_key=f"{number:043d}{key_suffix}", cnf="12345678", issued_at=timezone.now(), status=status,
        signed_xml=b"<NFe/>", digest_value="x",
    )


def test_the_same_amazon_order_cannot_be_stored_twice_for_a_seller():
    order = OrderFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        OrderFactory(seller=order.seller, amazon_order_id=order.amazon_order_id)


def test_two_sellers_may_have_orders_with_the_same_amazon_id():
    order = OrderFactory()
    OrderFactory(seller=SellerFactory(), amazon_order_id=order.amazon_order_id)


def test_an_invoice_number_is_used_once_per_seller_series_and_environment():
    order = OrderFactory()
    _invoice(order, 10, status=InvoiceStatus.DENIED)
    other_order = OrderFactory(seller=order.seller)
    with pytest.raises(IntegrityError), transaction.atomic():
        _invoice(other_order, 10, key_suffix="1")


def test_an_order_has_at_most_one_active_invoice():
    order = OrderFactory()
    _invoice(order, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        _invoice(order, 2)


def test_a_denied_invoice_does_not_block_a_new_one_for_the_order():
    order = OrderFactory()
    _invoice(order, 1, status=InvoiceStatus.DENIED)
    _invoice(order, 2)
    assert order.invoices.count() == 2


def test_authorization_expiry_is_one_year_after_consent():
    from tests.factories import AmazonAuthorizationFactory

    authorized = timezone.now() - timedelta(days=300)
    authorization = AmazonAuthorizationFactory(authorized_at=authorized)
    assert authorization.expires_at == authorized + timedelta(days=365)
    assert authorization.days_left() in (64, 65)
