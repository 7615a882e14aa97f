"""Golden NF-e: real orders in the database -> prepare_signed_nfe -> parsed XML, hand-computed numbers.

Every document here is validated against the official XSD by prepare_signed_nfe itself and its signature is
checked with signxml (an independent implementation).
"""

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from cryptography.hazmat.primitives import serialization
from lxml import etree
from signxml import DigestAlgorithm, SignatureMethod, XMLVerifier
from signxml.verifier import SignatureConfiguration

from fiscal.models import StateTaxRate
from fiscal.nfe.access_key import is_valid_access_key
from fiscal.nfe.issue import prepare_signed_nfe
from fiscal.nfe.schema import validate_nfe
from sellers.certificates import load_pfx
from sellers.models import TaxRegime
from tests.factories import (
    PFX_PASSWORD, AmazonAuthorizationFactory, CertificateFactory, OrderFactory, OrderItemFactory, ProductFactory,
    TaxGroupFactory,
)

NS = {"n": "http://www.portalfiscal.inf.br/nfe"}
GOLDEN = Path(__file__).parent / "golden"
ISSUED_AT = datetime(2026, 11, 27, 10, 30, tzinfo=ZoneInfo("America/Sao_Paulo"))
NORMAL_TAXES = dict(icms_cst="00", pis_cst="01", pis_rate=Decimal("1.65"), cofins_cst="01", cofins_rate=Decimal("7.60"))


@pytest.fixture
def rates(db):
    for uf, internal, fcp in (("SP", "18", "0"), ("RJ", "20", "2"), ("MG", "18", "0"), ("BA", "20.5", "0")):
        # update_or_create: the session's reference tables may already hold the official rows
        StateTaxRate.objects.update_or_create(uf=uf, defaults={"internal_rate": Decimal(internal), "fcp_rate": Decimal(fcp)})


def ready_seller(seller, *, crt=TaxRegime.SIMPLES_NACIONAL, uf="SP", city_code="3550308"):
    seller.crt, seller.uf, seller.city_code = crt, uf, city_code
    seller.save()
    AmazonAuthorizationFactory(seller=seller, selling_partner_id="A3SELLERID0001")
    CertificateFactory(seller=seller)
    return seller


def order_with(seller, *lines, **order_fields):
    """lines: (price, quantity, tax group fields, product fields, line fields)."""
    order = OrderFactory(seller=seller, **order_fields)
    for price, quantity, group_fields, product_fields, line_fields in lines:
        group = TaxGroupFactory(seller=seller, **group_fields)
        product = ProductFactory(seller=seller, tax_group=group, **product_fields)
        OrderItemFactory(order=order, sku=product.sku, product=product, quantity=quantity,
                         item_price=Decimal(price), **line_fields)
    return order


def prepare(order, **kwargs):
    kwargs.setdefault("environment", 2)
    return prepare_signed_nfe(order, series=1, number=kwargs.pop("number", 42), issued_at=ISSUED_AT, cnf="30518297", **kwargs)


def parsed(prepared):
    return etree.fromstring(prepared.xml)


def text(root, path):
    return root.findtext(path, namespaces=NS)


def canonical(element):
    return etree.tostring(etree.fromstring(etree.tostring(element)), method="c14n")


def golden(name):
    return canonical(etree.fromstring((GOLDEN / name).read_bytes().strip()))


def verify_signature(xml: bytes, seller):
    cert = load_pfx(seller.active_certificate.pfx.reveal(), PFX_PASSWORD)[1]
    verifier = XMLVerifier()
    # lxml adds a stray xmlns="" when signxml canonicalizes SignedInfo in place (research pitfall 1).
    verifier.excise_empty_xmlns_declarations = True
    config = SignatureConfiguration(
        signature_methods=frozenset({SignatureMethod.RSA_SHA1}), digest_algorithms=frozenset({DigestAlgorithm.SHA1}),
    )
    return verifier.verify(xml, x509_cert=cert.public_bytes(serialization.Encoding.PEM), expect_config=config)


def test_internal_simples_sale_uses_csosn_102_and_the_simples_legal_text(seller_a, rates):
    seller = ready_seller(seller_a)
    order = order_with(seller, ("100.00", 1, {"icms_cst": "102"}, {}, {}))
    prepared = prepare(order)
    root = parsed(prepared)
    assert text(root, ".//n:ide/n:idDest") == "1"
    assert text(root, ".//n:det/n:prod/n:CFOP") == "5102"
    assert text(root, ".//n:ICMSSN102/n:CSOSN") == "102"
    assert text(root, ".//n:emit/n:CRT") == "1"
    assert "OPTANTE PELO SIMPLES NACIONAL" in text(root, ".//n:infAdic/n:infCpl")
    assert text(root, ".//n:ICMSTot/n:vNF") == "100.00" and prepared.total == Decimal("100.00")
    assert root.find(".//n:ICMSUFDest", NS) is None
    assert is_valid_access_key(prepared.access_key) and prepared.access_key[20:22] == "55"
    verify_signature(prepared.xml, seller)


def test_interstate_consumer_sale_sp_to_rj_carries_difal_and_fcp_computed_by_hand(seller_a, rates):
    # SP -> RJ, national origin: 12% interstate. Base 200 + 20 shipping = 220.
    # DIFAL = 220 x (20% - 12%) = 17.60; FCP RJ = 220 x 2% = 4.40; PIS/COFINS base 220 - 26.40 = 193.60.
    seller = ready_seller(seller_a, crt=TaxRegime.REGIME_NORMAL)
    order = order_with(seller, ("200.00", 2, NORMAL_TAXES, {"origin": 0}, {"shipping_price": Decimal("20.00")}),
                       uf="RJ", city_code="3304557", city_name="Rio de Janeiro", cep="20011000")
    root = parsed(prepare(order))
    assert text(root, ".//n:ide/n:idDest") == "2"
    assert text(root, ".//n:dest/n:indIEDest") == "9" and text(root, ".//n:ide/n:indFinal") == "1"
    assert text(root, ".//n:det/n:prod/n:CFOP") == "6108"
    assert canonical(root.find(".//n:det/n:imposto", NS)) == golden("difal_sp_rj_item.xml")
    assert text(root, ".//n:ICMSTot/n:vICMSUFDest") == "17.60"
    assert text(root, ".//n:ICMSTot/n:vFCPUFDest") == "4.40"
    assert text(root, ".//n:ICMSTot/n:vNF") == "220.00"
    assert "DIFAL" in text(root, ".//n:infAdic/n:infCpl")


def test_imported_goods_from_mg_to_ba_use_the_4_percent_interstate_rate(seller_a, rates):
    seller = ready_seller(seller_a, crt=TaxRegime.REGIME_NORMAL, uf="MG", city_code="3106200")
    seller.cep, seller.city_name = "30130000", "Belo Horizonte"
    seller.save()
    order = order_with(seller, ("100.00", 1, NORMAL_TAXES, {"origin": 1}, {}),
                       uf="BA", city_code="2927408", city_name="Salvador", cep="40020000")
    root = parsed(prepare(order))
    assert text(root, ".//n:ICMS00/n:pICMS") == "4.0000"
    assert text(root, ".//n:ICMS00/n:vICMS") == "4.00"
    assert text(root, ".//n:ICMSUFDest/n:vICMSUFDest") == "16.50"  # 100 x (20.5% - 4%)
    assert root.find(".//n:ICMSUFDest/n:vFCPUFDest", NS) is None  # BA has no general FCP here


def test_st_item_with_cest_cst_10_charges_st_by_mva(seller_a, rates):
    # 100 at 18%: own ICMS 18.00; ST base 100 x 1.40 = 140.00; ST = 140 x 18% - 18.00 = 7.20; vNF = 107.20.
    seller = ready_seller(seller_a, crt=TaxRegime.REGIME_NORMAL)
    group = dict(NORMAL_TAXES, icms_cst="10", icms_st_mva=Decimal("40"))
    order = order_with(seller, ("100.00", 1, group, {"cest": "2106400", "ncm": "85171231"}, {}))
    root = parsed(prepare(order))
    assert text(root, ".//n:det/n:prod/n:CEST") == "2106400"
    assert canonical(root.find(".//n:ICMS10", NS)) == golden("st_cst10_sp_sp_icms.xml")
    assert text(root, ".//n:ICMSTot/n:vST") == "7.20"
    assert text(root, ".//n:ICMSTot/n:vNF") == "107.20"
    assert text(root, ".//n:pag/n:detPag/n:vPag") == "107.20"


def test_simples_item_with_st_already_paid_is_csosn_500_with_cest(seller_a, rates):
    seller = ready_seller(seller_a)
    order = order_with(seller, ("80.00", 1, {"icms_cst": "500"}, {"cest": "2106400"}, {}))
    root = parsed(prepare(order))
    assert text(root, ".//n:ICMSSN500/n:CSOSN") == "500"
    assert text(root, ".//n:det/n:prod/n:CEST") == "2106400"


def test_sale_to_a_company_with_ie_is_to_a_contributor_and_not_to_a_final_consumer(seller_a, rates):
    seller = ready_seller(seller_a, crt=TaxRegime.REGIME_NORMAL)
    order = order_with(seller, ("500.00", 5, NORMAL_TAXES, {}, {}), buyer_document="11444777000161",
                       buyer_ie="79379491", buyer_ie_indicator=1, buyer_name="Compradora Exemplo LTDA",
                       uf="RJ", city_code="3304557", city_name="Rio de Janeiro", cep="20011000")
    root = parsed(prepare(order, environment=1))
    assert text(root, ".//n:dest/n:CNPJ") == "11444777000161"
    assert text(root, ".//n:dest/n:indIEDest") == "1" and text(root, ".//n:dest/n:IE") == "79379491"
    assert text(root, ".//n:ide/n:indFinal") == "0"
    assert text(root, ".//n:dest/n:xNome") == "Compradora Exemplo LTDA"
    assert root.find(".//n:ICMSUFDest", NS) is None  # a contributor pays its own DIFAL


def test_multi_item_order_apportions_shipping_and_discount_exactly(seller_a, rates):
    seller = ready_seller(seller_a)
    lines = [("33.33", 1, {"icms_cst": "102"}, {}, {"shipping_price": Decimal(s), "discount": Decimal(d)})
             for s, d in (("10.00", "5.00"), ("0", "0"), ("0", "0"))]
    root = parsed(prepare(order_with(seller, *lines)))
    freight = [Decimal(e.text) for e in root.findall(".//n:det/n:prod/n:vFrete", NS)]
    discount = [Decimal(e.text) for e in root.findall(".//n:det/n:prod/n:vDesc", NS)]
    # 10.00 / 3 = 3.33 each, remainder 0.01 on the largest (first of equals); 5.00 / 3 -> 1.67 + 1.67 + 1.66.
    assert freight == [Decimal("3.34"), Decimal("3.33"), Decimal("3.33")]
    assert sum(discount) == Decimal("5.00") and sorted(discount) == [Decimal("1.66"), Decimal("1.67"), Decimal("1.67")]
    assert text(root, ".//n:ICMSTot/n:vFrete") == "10.00" and text(root, ".//n:ICMSTot/n:vDesc") == "5.00"
    assert text(root, ".//n:ICMSTot/n:vNF") == "104.99"  # 99.99 + 10.00 - 5.00


def test_homologation_replaces_recipient_and_first_item_names_with_the_legal_text(seller_a, rates):
    seller = ready_seller(seller_a)
    order = order_with(seller, ("10.00", 1, {"icms_cst": "102"}, {"title": "Caneca"}, {}),
                       ("20.00", 1, {"icms_cst": "102"}, {"title": "Prato"}, {}))
    root = parsed(prepare(order, environment=2))
    names = [e.text for e in root.findall(".//n:det/n:prod/n:xProd", NS)]
    assert text(root, ".//n:dest/n:xNome") == "NF-E EMITIDA EM AMBIENTE DE HOMOLOGACAO - SEM VALOR FISCAL"
    assert names == ["NOTA FISCAL EMITIDA EM AMBIENTE DE HOMOLOGACAO - SEM VALOR FISCAL", "Prato"]
    assert text(root, ".//n:ide/n:tpAmb") == "2"


def test_marketplace_fields_carry_amazon_order_id_intermediary_and_card(seller_a, rates):
    seller = ready_seller(seller_a)
    order = order_with(seller, ("100.00", 1, {"icms_cst": "102"}, {}, {}), amazon_order_id="701-1234567-7654321")
    root = parsed(prepare(order))
    assert text(root, ".//n:compra/n:xPed") == "701-1234567-7654321"
    assert "701-1234567-7654321" in text(root, ".//n:infAdic/n:infCpl")
    assert root.find(".//n:det/n:prod/n:xPed", NS) is None  # 19 characters do not fit det/prod/xPed (15)
    assert text(root, ".//n:ide/n:indPres") == "2" and text(root, ".//n:ide/n:indIntermed") == "1"
    assert text(root, ".//n:infIntermed/n:CNPJ") == "15436940000103"
    assert text(root, ".//n:infIntermed/n:idCadIntTran") == "A3SELLERID0001"
    assert text(root, ".//n:detPag/n:tPag") == "03"
    assert [text(root, f".//n:card/n:{t}") for t in ("tpIntegra", "CNPJ", "tBand", "cAut")] == ["2", "01027058000191", "01", "123456"]
    assert text(root, ".//n:infRespTec/n:CNPJ") == "11222333000181"


def test_invalid_gtin_becomes_sem_gtin(seller_a, rates):
    seller = ready_seller(seller_a)
    order = order_with(seller, ("10.00", 1, {"icms_cst": "102"}, {"gtin": "7891000315508"}, {}))
    root = parsed(prepare(order))
    assert text(root, ".//n:cEAN") == "SEM GTIN" and text(root, ".//n:cEANTrib") == "SEM GTIN"


def test_same_cnf_and_time_give_the_same_bytes(seller_a, rates):
    seller = ready_seller(seller_a)
    order = order_with(seller, ("10.00", 1, {"icms_cst": "102"}, {}, {}))
    assert prepare(order).xml == prepare(order).xml


def test_ibs_cbs_groups_at_the_test_rates_when_the_tax_group_asks(seller_a, rates):
    seller = ready_seller(seller_a, crt=TaxRegime.REGIME_NORMAL)
    group = dict(NORMAL_TAXES, ibs_cbs_enabled=True)
    root = parsed(prepare(order_with(seller, ("100.00", 1, group, {}, {}))))
    # Base: 100 - ICMS 18.00 - PIS 1.35 - COFINS 6.23 = 74.42; CBS 0.9% = 0.67; IBS UF 0.1% = 0.07.
    assert text(root, ".//n:IBSCBS/n:gIBSCBS/n:vBC") == "74.42"
    assert text(root, ".//n:IBSCBS/n:gIBSCBS/n:gCBS/n:vCBS") == "0.67"
    assert text(root, ".//n:IBSCBSTot/n:gIBS/n:vIBS") == "0.07"


def test_a_tampered_document_fails_signature_verification(seller_a, rates):
    seller = ready_seller(seller_a)
    xml = prepare(order_with(seller, ("10.00", 1, {"icms_cst": "102"}, {}, {}))).xml
    verify_signature(xml, seller)
    tampered = xml.replace(b"<vNF>10.00</vNF>", b"<vNF>1.00</vNF>")
    validate_nfe(tampered)  # still schema-valid: only the signature can tell
    with pytest.raises(Exception, match="(?i)digest|signature"):
        verify_signature(tampered, seller)
