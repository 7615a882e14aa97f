"""Demo-like data for screenshots: one seller with a blocked order, an authorized one, a hybrid offer.

Idempotent (get_or_create by natural keys), so the screenshot command can run again on the same database.
"""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from fiscal.models import AmazonInvoiceStatus, Invoice, InvoiceEvent, InvoiceStatus
from orders.models import Order, OrderItem, PreflightStatus
from products.models import Offer, Product, TaxGroup
from sellers.certificates import make_test_pfx
from sellers.documents import complete_cnpj
from sellers.models import Certificate, Seller, SellerUser, TaxRegime
from sellers.services import install_certificate, record_authorization

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-portal-2026"  # public on purpose: a throwaway account for screenshots only
DEMO_CNPJ = complete_cnpj("998877660001")


def _seller() -> Seller:
    seller, _created = Seller.objects.get_or_create(cnpj=DEMO_CNPJ, defaults=dict(
        legal_name="Loja Demonstração LTDA", trade_name="Loja Demonstração", ie="110042490114",
        crt=TaxRegime.SIMPLES_NACIONAL, street="Avenida Paulista", number="1000", district="Bela Vista",
        city_code="3550308", city_name="São Paulo", uf="SP", cep="01310100"))
    user, created = get_user_model().objects.get_or_create(username=DEMO_USERNAME, defaults={"email": "demo@example.com.br"})
    user.set_password(DEMO_PASSWORD)
    user.save()
    SellerUser.objects.get_or_create(user=user, defaults={"seller": seller})
    return seller


def _credentials(seller: Seller) -> None:
    if not Certificate.objects.for_seller(seller).exists():
        start = timezone.now() - timedelta(days=340)
        pfx = make_test_pfx(cnpj=seller.cnpj, name="LOJA DEMONSTRACAO LTDA", password="demo", not_before=start, days=365)
        install_certificate(seller, pfx=pfx, password="demo")
    if not hasattr(seller, "amazon_authorization"):
        record_authorization(seller, selling_partner_id="ADEMO0000SELLER", refresh_token="Atzr|demo",
                             authorized_at=timezone.now() - timedelta(days=120))


def _order(seller, amazon_id, product, **extra) -> Order:
    now = timezone.now()
    order, _created = Order.objects.get_or_create(seller=seller, amazon_order_id=amazon_id, defaults=dict(
        amazon_status="UNSHIPPED", purchase_date=now - timedelta(hours=2), last_update_date=now,
        shipment_seen_at=now - timedelta(hours=2), buyer_name="Maria da Silva", buyer_document="12345678909",
        street="Rua das Flores", number="123", district="Centro", city_name="São Paulo", city_code="3550308",
        uf="SP", cep="01001000", order_total=Decimal("189.90"), **extra))
    OrderItem.objects.get_or_create(order=order, order_item_id=f"{amazon_id}-1", defaults=dict(
        sku=product.sku, product=product, quantity=1, item_price=Decimal("189.90")))
    return order


def _authorized_invoice(order: Order) -> None:
    if order.invoices.exists():
        return
    now = timezone.now()
    key = (f"35{now:%y%m}{order.seller.cnpj}550010000001231" + "00000123" + "4")[:44]
    invoice = Invoice.objects.create(
        seller=order.seller, order=order, environment=2, series=1, number=123, access_key=key, cnf="00000123",
        issued_at=now - timedelta(minutes=100), status=InvoiceStatus.AUTHORIZED, total=order.order_total,
        signed_xml=b"<NFe/>", digest_value="demo", authorized_xml=b"<nfeProc/>", authorized_at=now - timedelta(minutes=99),
        protocol="135260000000123", cstat="100", xmotivo="Autorizado o uso da NF-e",
        amazon_status=AmazonInvoiceStatus.ACCEPTED, amazon_submitted_at=now - timedelta(minutes=98),
        amazon_accepted_at=now - timedelta(minutes=90))
    InvoiceEvent.objects.create(invoice=invoice, kind=InvoiceEvent.Kind.SEFAZ, from_status="sending",
                                to_status="authorized", cstat="100", message="Autorizado o uso da NF-e")


def create_demo_data() -> tuple[Seller, dict]:
    seller = _seller()
    _credentials(seller)
    group, _created = TaxGroup.objects.get_or_create(seller=seller, name="Simples - revenda", defaults=dict(
        icms_cst="102", pis_cst="49", pis_rate=0, cofins_cst="49", cofins_rate=0))
    ok_product, _c = Product.objects.get_or_create(seller=seller, sku="FONE-BT-01", defaults=dict(
        title="Fone de ouvido Bluetooth", ncm="85183000", origin=0, tax_group=group))
    bad_product, _c = Product.objects.get_or_create(seller=seller, sku="CAPA-CEL-07", defaults=dict(
        title="Capa para celular", ncm="", origin=0, tax_group=group))
    accepted = _order(seller, "701-1234567-0000001", ok_product, preflight_status=PreflightStatus.OK)
    _authorized_invoice(accepted)
    blocked = _order(seller, "701-1234567-0000002", bad_product, preflight_status=PreflightStatus.BLOCKED,
                     preflight_issues=[{"category": "fiscal_attributes", "code": "ncm_missing", "field": "ncm",
                                        "message": "O produto CAPA-CEL-07 está sem NCM. Informe o NCM de 8 dígitos em Produtos > CAPA-CEL-07.",
                                        "fix_url_name": "portal:product_edit", "fix_object_id": bad_product.pk}])
    Offer.objects.get_or_create(seller=seller, sku="FONE-BT-01", fulfillment_channel="DEFAULT", defaults=dict(
        product=ok_product, asin="B0DEMO0001", is_hybrid=True, price=Decimal("189.90"), status="BUYABLE"))
    return seller, {"accepted": accepted, "blocked": blocked, "product": bad_product}
