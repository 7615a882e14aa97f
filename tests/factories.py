"""factory-boy factories shared by every test module."""

from datetime import timedelta
from decimal import Decimal
from functools import lru_cache

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from orders.models import Order, OrderItem
from products.models import Offer, Product, TaxGroup
from sellers.certificates import describe_certificate, load_pfx, make_test_pfx
from sellers.documents import complete_cnpj, complete_cpf
from sellers.encryption import secret
from sellers.models import AmazonAuthorization, Certificate, Seller, SellerUser, TaxRegime

PFX_PASSWORD = "senha-teste"


@lru_cache(maxsize=32)
def test_pfx(cnpj: str, days: int = 365, start_offset_days: int = -1) -> bytes:
    """RSA key generation costs ~50 ms: one certificate per (CNPJ, validity) for the whole run."""
    start = timezone.now().replace(microsecond=0) + timedelta(days=start_offset_days)
    return make_test_pfx(cnpj=cnpj, name="EMPRESA TESTE LTDA", password=PFX_PASSWORD, not_before=start, days=days)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com.br")
    password = factory.django.Password("senha-forte-123")


class SellerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seller

    legal_name = factory.Sequence(lambda n: f"Loja Teste {n} LTDA")
    trade_name = factory.Sequence(lambda n: f"Loja {n}")
    cnpj = factory.Sequence(lambda n: complete_cnpj(f"{11222333 + n:08d}0001"))
    ie = "110042490114"
    crt = TaxRegime.SIMPLES_NACIONAL
    street = "Avenida Paulista"
    number = "1000"
    complement = "Conj 101"
    district = "Bela Vista"
    city_code = "3550308"
    city_name = "São Paulo"
    uf = "SP"
    cep = "01310100"
    phone = "1130000000"
    email = factory.Sequence(lambda n: f"loja{n}@example.com.br")


class SellerUserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SellerUser

    user = factory.SubFactory(UserFactory)
    seller = factory.SubFactory(SellerFactory)
    role = SellerUser.Role.OWNER


class AmazonAuthorizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AmazonAuthorization

    seller = factory.SubFactory(SellerFactory)
    selling_partner_id = factory.Sequence(lambda n: f"A{n:012d}TEST")
    refresh_token = factory.Sequence(lambda n: secret(f"Atzr|test-refresh-token-{n}"))
    authorized_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
    state = AmazonAuthorization.State.ACTIVE


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate
        exclude = ("days", "start_offset_days")

    seller = factory.SubFactory(SellerFactory)
    days = 365
    start_offset_days = -1
    pfx = factory.LazyAttribute(lambda o: secret(test_pfx(o.seller.cnpj, o.days, o.start_offset_days)))
    password = factory.LazyFunction(lambda: secret(PFX_PASSWORD))
    active = True

    @factory.lazy_attribute
    def _info(self):
        return describe_certificate(load_pfx(self.pfx.reveal(), PFX_PASSWORD)[1])

    subject_name = factory.LazyAttribute(lambda o: o._info.subject_name)
    subject_cnpj = factory.LazyAttribute(lambda o: o._info.subject_cnpj)
    serial_number = factory.LazyAttribute(lambda o: o._info.serial_number)
    issuer_name = factory.LazyAttribute(lambda o: o._info.issuer_name)
    not_before = factory.LazyAttribute(lambda o: o._info.not_before)
    not_after = factory.LazyAttribute(lambda o: o._info.not_after)
    fingerprint_sha256 = factory.LazyAttribute(lambda o: o._info.fingerprint_sha256)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        kwargs.pop("_info", None)
        return super()._create(model_class, *args, **kwargs)


class TaxGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaxGroup

    seller = factory.SubFactory(SellerFactory)
    name = factory.Sequence(lambda n: f"Tributação {n}")
    cfop_internal = "5102"
    cfop_interstate = "6108"
    icms_cst = "102"
    pis_cst = "49"
    pis_rate = Decimal("0")
    cofins_cst = "49"
    cofins_rate = Decimal("0")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    seller = factory.SubFactory(SellerFactory)
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    asin = factory.Sequence(lambda n: f"B0{n:08d}")
    title = factory.Sequence(lambda n: f"Produto de teste {n}")
    gtin = "7891000315507"
    unit = "UN"
    ncm = "96170010"
    cest = ""
    origin = 0
    tax_group = factory.SubFactory(TaxGroupFactory, seller=factory.SelfAttribute("..seller"))


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    seller = factory.SubFactory(SellerFactory)
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    asin = factory.Sequence(lambda n: f"B0{n:08d}")
    fulfillment_channel = "AMAZON_NA"
    is_fba_onsite = True
    status = "BUYABLE"
    price = Decimal("99.90")


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    seller = factory.SubFactory(SellerFactory)
    amazon_order_id = factory.Sequence(lambda n: f"701-{n:07d}-{n * 7 % 10000000:07d}")
    shipment_id = factory.Sequence(lambda n: f"SHIP{n:08d}")
    amazon_status = "UNSHIPPED"
    purchase_date = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    last_update_date = factory.LazyFunction(timezone.now)
    shipment_seen_at = factory.LazyFunction(timezone.now)
    buyer_name = "Maria da Silva"
    buyer_document = factory.Sequence(lambda n: complete_cpf(f"{123456780 + n:09d}"))
    street = "Rua das Flores"
    number = "123"
    complement = "Apto 45"
    district = "Centro"
    city_name = "São Paulo"
    city_code = "3550308"
    uf = "SP"
    cep = "01001000"
    marketplace_cnpj = "15436940000103"
    payments = factory.LazyFunction(
        lambda: [{"method": "CREDIT_CARD", "amount": "100.00", "acquirer_cnpj": "01027058000191",
                  "card_brand": "VISA", "authorization_code": "123456"}]
    )
    order_total = Decimal("100.00")


class OrderItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderItem

    order = factory.SubFactory(OrderFactory)
    order_item_id = factory.Sequence(lambda n: f"{n:014d}")
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    quantity = 1
    item_price = Decimal("100.00")
    shipping_price = Decimal("0")
    discount = Decimal("0")
