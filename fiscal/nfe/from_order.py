"""Order (and its seller, items, products, tax groups, state rates) -> NfeDocument.

Pre-flight (fiscal.preflight) checks all of this earlier with friendlier detail; these errors are the last guard
and use the same categories (`ErrorCategory`).
"""

import re
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from fiscal.models import StateTaxRate
from products.models import Product
from sellers.documents import only_digits, only_document_chars

from .errors import NfeBuildError
from .inputs import Address, Emitter, Intermediary, Item, NfeDocument, Payment, Recipient, StateRates, TaxRule

# Amazon's payment method names (normalized: upper case, letters only) -> tPag.
TPAG_BY_METHOD = {
    "CREDITCARD": "03", "CREDIT": "03", "DEBITCARD": "04", "DEBIT": "04", "PIX": "17", "BOLETO": "15",
    "STORECREDIT": "05", "GIFTCARD": "05",
}
# Card brand -> tBand (NT 2020.006 table).
TBAND_BY_BRAND = {
    "VISA": "01", "MASTERCARD": "02", "MASTER": "02", "AMEX": "03", "AMERICANEXPRESS": "03", "SOROCRED": "04",
    "DINERS": "05", "DINERSCLUB": "05", "ELO": "06", "HIPERCARD": "07", "AURA": "08", "CABAL": "09",
    "ALELO": "10", "BANESCARD": "11", "CREDZ": "12", "DISCOVER": "13", "JCB": "15",
}


def _key(value: str) -> str:
    return re.sub(r"[^A-Z]", "", (value or "").upper())


def document_for_order(order, *, series: int, number: int, cnf: str, issued_at: datetime, environment: int) -> NfeDocument:
    seller = order.seller
    items = tuple(_item(order, line) for line in order.items.select_related("product__tax_group").order_by("pk"))
    if not items:
        raise NfeBuildError(_("Order %(order)s has no items to invoice.") % {"order": order.amazon_order_id})
    rates = {r.uf: StateRates(r.internal_rate, r.fcp_rate) for r in StateTaxRate.objects.filter(uf__in=[seller.uf, order.uf])}
    recipient = _recipient(order)
    return NfeDocument(
        environment=environment, series=series, number=number, cnf=cnf, issued_at=issued_at,
        emitter=_emitter(seller), recipient=recipient, items=items, payments=_payments(order),
        order_id=order.amazon_order_id, intermediary=_intermediary(order),
        shipping=sum((line.shipping_price for line in order.items.all()), Decimal(0)),
        discount=sum((line.discount for line in order.items.all()), Decimal(0)),
        emitter_rates=rates.get(seller.uf), destination_rates=rates.get(order.uf),
        final_consumer=recipient.ie_indicator != 1 or getattr(settings, "NFE_B2B_FINAL_CONSUMER", False),
    )


def _emitter(seller) -> Emitter:
    address = Address(
        street=seller.street, number=seller.number, complement=seller.complement, district=seller.district,
        city_code=seller.city_code, city_name=seller.city_name, uf=seller.uf, cep=seller.cep, phone=only_digits(seller.phone),
    )
    return Emitter(
        cnpj=only_document_chars(seller.cnpj), name=seller.legal_name, trade_name=seller.trade_name, ie=seller.ie,
        crt=seller.crt, address=address, simples_credit_rate=seller.simples_credit_rate,
    )


def _recipient(order) -> Recipient:
    document = only_document_chars(order.buyer_document)
    if len(document) not in (11, 14):
        raise NfeBuildError(
            _("Order %(order)s has no valid buyer CPF/CNPJ. Fill it in the order's buyer data.") % {"order": order.amazon_order_id},
            category="buyer_address",
        )
    if not (order.street and order.district and order.city_code and order.uf and order.cep):
        raise NfeBuildError(
            _("The delivery address of order %(order)s is incomplete (street, neighbourhood, municipality, UF or CEP). Complete it in the order.")
            % {"order": order.amazon_order_id},
            category="buyer_address",
        )
    indicator = order.buyer_ie_indicator if len(document) == 14 else 9
    address = Address(
        street=order.street, number=order.number or "S/N", complement=order.complement, district=order.district,
        city_code=order.city_code, city_name=order.city_name, uf=order.uf, cep=only_digits(order.cep),
        phone=only_digits(order.buyer_phone)[-14:] if len(only_digits(order.buyer_phone)) >= 6 else "",
    )
    return Recipient(
        document=document, name=order.buyer_name, address=address, ie=only_digits(order.buyer_ie),
        ie_indicator=1 if indicator == 1 and order.buyer_ie else (2 if indicator == 2 else 9), email=order.buyer_email,
    )


def _product(order, line) -> Product:
    product = line.product or (
        Product.objects.for_seller(order.seller).select_related("tax_group").filter(sku=line.sku).first()
    )
    if product is None:
        raise NfeBuildError(
            _("SKU %(sku)s of order %(order)s is not in your product catalogue. Register the product with its fiscal data.")
            % {"sku": line.sku, "order": order.amazon_order_id},
            category="fiscal_attributes",
        )
    if not product.ncm or product.origin is None or product.tax_group is None:
        raise NfeBuildError(
            _("Product %(sku)s is missing its NCM, origin or tax group. Complete them in Products.") % {"sku": product.sku},
            category="fiscal_attributes",
        )
    return product


def _item(order, line) -> Item:
    product = _product(order, line)
    group = product.tax_group
    rule = TaxRule(
        icms_cst=group.icms_cst, cfop_internal=group.cfop_internal, cfop_interstate=group.cfop_interstate,
        icms_base_reduction=group.icms_base_reduction, icms_st_mva=group.icms_st_mva,
        pis_cst=group.pis_cst, pis_rate=group.pis_rate, cofins_cst=group.cofins_cst, cofins_rate=group.cofins_rate,
        ipi_cst=group.ipi_cst, ipi_rate=group.ipi_rate, ipi_cenq=group.ipi_cenq,
        ibs_cbs_enabled=group.ibs_cbs_enabled, ibs_cbs_cst=group.ibs_cbs_cst, ibs_cbs_class=group.ibs_cbs_class,
    )
    return Item(
        code=product.sku, description=product.title or line.title, ncm=product.ncm, origin=product.origin,
        unit=product.unit or "UN", quantity=Decimal(line.quantity), total=line.item_price, rule=rule,
        gtin=product.gtin, cest=product.cest,
    )


def _payments(order) -> tuple[Payment, ...]:
    payments = []
    for p in order.payments or []:
        tpag = TPAG_BY_METHOD.get(_key(p.get("method", "")), "99")
        payments.append(Payment(
            tpag=tpag, amount=Decimal(str(p.get("amount") or "0")),
            description="PAGAMENTO VIA MARKETPLACE" if tpag == "99" else "",
            acquirer_cnpj=only_digits(p.get("acquirer_cnpj", "")), card_brand=TBAND_BY_BRAND.get(_key(p.get("card_brand", "")), "99" if p.get("card_brand") else ""),
            authorization_code=p.get("authorization_code", "") or "",
        ))
    return tuple(payments) or (Payment(tpag="99", amount=order.order_total, description="PAGAMENTO VIA MARKETPLACE"),)


def _intermediary(order) -> Intermediary:
    authorization = getattr(order.seller, "amazon_authorization", None)
    if not order.marketplace_cnpj or authorization is None:
        raise NfeBuildError(
            _("Order %(order)s lacks the marketplace CNPJ or your Amazon authorization (selling partner id). Reconnect your Amazon account in Settings.")
            % {"order": order.amazon_order_id},
            category="credentials",
        )
    return Intermediary(cnpj=only_document_chars(order.marketplace_cnpj), seller_id=authorization.selling_partner_id)
