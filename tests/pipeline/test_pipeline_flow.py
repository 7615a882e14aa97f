"""The happy and the fixable paths, in process: orders at Amazon become NF-e that Amazon accepted."""

import io

from django.core.management import call_command

from benchmarks import _rig
from fiscal.models import Invoice, InvoiceStatus
from fiscal.reference import clear_caches
from orders.models import Order, PreflightStatus
from orders.services import resend_order
from products.models import NCM, Product, TaxGroup
from products.fiscal_validation import revalidate_seller

from .conftest import accepted, no_violations, receive_notifications, settle

BLOCKED_BY_CEST = "702-4100007-5300049"  # SKU-B-003: CEST 0100100 does not cover NCM 76151000
BLOCKED_BY_ADDRESS = "702-4100005-5300035"  # no street number
SP_ORDER = "702-4100001-5300007"  # SKU-A-001, complete


def sync(seller) -> str:
    out = io.StringIO()
    call_command("sync_seller", str(seller.pk), "--once", "--max-seconds", "30", stdout=out)
    return out.getvalue()


def test_new_orders_at_amazon_become_as_many_accepted_invoices_with_consecutive_numbers(demo, rig):
    new_ids = _rig.add_orders(rig.amazon.url, 6, spids=(_rig.SELLER_SP,))
    receive_notifications()
    report = sync(demo[_rig.SELLER_SP])
    assert accepted(new_ids) == 6, report
    numbers = sorted(Invoice.objects.filter(seller=demo[_rig.SELLER_SP]).values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))
    assert no_violations(rig) == {}


def test_the_demo_story_ends_accepted_blocked_with_a_reason_or_cancelled(demo, rig):
    settle(list(Order.objects.values_list("amazon_order_id", flat=True)))
    statuses = {o.amazon_order_id: o for o in Order.objects.all()}
    assert accepted([SP_ORDER, "702-4100006-5300042"]) == 2
    for blocked in (BLOCKED_BY_CEST, BLOCKED_BY_ADDRESS):
        assert statuses[blocked].preflight_status == PreflightStatus.BLOCKED
        assert all(issue["message"] for issue in statuses[blocked].preflight_issues)
    assert not Invoice.objects.filter(order__amazon_order_id="702-4100008-5300056").exists()  # cancelled at Amazon
    assert no_violations(rig) == {}


def test_a_blocked_order_is_released_after_the_seller_fixes_the_product_and_is_accepted(demo, rig):
    seller = demo[_rig.SELLER_MG]
    settle([BLOCKED_BY_CEST], rounds=1)
    order = Order.objects.get(amazon_order_id=BLOCKED_BY_CEST)
    assert order.preflight_status == PreflightStatus.BLOCKED
    taxed = TaxGroup.objects.get(seller=seller, name="Normal - tributado")
    Product.objects.filter(seller=seller, sku="SKU-B-003").update(cest="", tax_group=taxed)
    revalidate_seller(seller)
    assert resend_order(order, actor="mineira") is True
    settle([BLOCKED_BY_CEST])
    assert accepted([BLOCKED_BY_CEST]) == 1


def test_a_sefaz_rejection_reaches_the_seller_and_the_fixed_nfe_keeps_its_number(demo, rig):
    seller = demo[_rig.SELLER_SP]
    # Our NCM table knows a code the Siscomex table (the sandbox's) does not: pre-flight passes, SEFAZ rejects.
    NCM.objects.create(code="96170099", description="Garrafas isotérmicas (código inexistente)")
    clear_caches()
    Product.objects.filter(seller=seller, sku="SKU-A-001").update(ncm="96170099")
    revalidate_seller(seller)
    settle([SP_ORDER], rounds=2)
    invoice = Invoice.objects.get(order__amazon_order_id=SP_ORDER)
    assert invoice.status == InvoiceStatus.REJECTED
    assert invoice.cstat and invoice.error_message
    number, first_key = invoice.number, invoice.access_key

    Product.objects.filter(seller=seller, sku="SKU-A-001").update(ncm="96170010")
    revalidate_seller(seller)
    assert resend_order(invoice.order, actor="paulista") is True
    settle([SP_ORDER])
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amazon_status, invoice.number) == ("authorized", "accepted", number)
    assert invoice.access_key != first_key  # rebuilt and signed again, under the same number
    assert Invoice.objects.filter(order__amazon_order_id=SP_ORDER).count() == 1
    assert no_violations(rig) == {}
