"""The signer on documents other than infNFe, the key cache, pre-build errors and the build_nfe command."""

import pytest
from django.core.management import call_command
from lxml import etree

from fiscal.nfe import signing
from fiscal.nfe.errors import NfeBuildError, NfeSchemaError
from fiscal.nfe.issue import prepare_signed_nfe
from fiscal.nfe.schema import validate_against, validate_nfe
from fiscal.nfe.build import build_nfe_xml
from fiscal.nfe.samples import sample_document
from tests.factories import (
    AmazonAuthorizationFactory, CertificateFactory, OrderFactory, OrderItemFactory, ProductFactory,
)
from tests.fiscal.test_nfe_golden import rates, ready_seller, verify_signature  # noqa: F401

DSIG = "{http://www.w3.org/2000/09/xmldsig#}"


def test_signing_key_is_loaded_once_per_certificate(seller_a, monkeypatch):
    certificate = CertificateFactory(seller=seller_a)
    signing._cache.clear()
    calls = []
    original = signing.signing_key_from_pfx
    monkeypatch.setattr(signing, "signing_key_from_pfx", lambda *a, **k: calls.append(1) or original(*a, **k))
    first = signing.signing_key_for(certificate)
    assert signing.signing_key_for(certificate) is first and len(calls) == 1
    assert "PRIVATE" not in repr(first) and "MII" not in repr(first)


def test_sign_xml_signs_an_inutilizacao_and_keeps_it_schema_valid(seller_a):
    key = signing.signing_key_for(CertificateFactory(seller=seller_a))
    inut = (
        '<inutNFe xmlns="http://www.portalfiscal.inf.br/nfe" versao="4.00"><infInut Id="ID35261122233300018155001000000010000000010">'
        "<tpAmb>2</tpAmb><xServ>INUTILIZAR</xServ><cUF>35</cUF><ano>26</ano><CNPJ>11222333000181</CNPJ><mod>55</mod>"
        "<serie>1</serie><nNFIni>1</nNFIni><nNFFin>1</nNFFin><xJust>Numero pulado por falha no sistema emissor</xJust>"
        "</infInut></inutNFe>"
    ).encode()
    signed = signing.sign_xml(inut, reference_tag="infInut", key=key)
    root = etree.fromstring(signed.xml)
    assert root[-1].tag == f"{DSIG}Signature" and b"\n" not in signed.xml
    validate_against(signed.xml, "inutNFe_v4.00.xsd")
    verify_signature(signed.xml, seller_a)


def test_signature_is_the_last_child_of_nfe_without_prefix_or_newlines(seller_a):
    key = signing.signing_key_for(CertificateFactory(seller=seller_a))
    signed = signing.sign_nfe(build_nfe_xml(sample_document()), key)
    root = etree.fromstring(signed.xml)
    assert root[-1].tag == f"{DSIG}Signature" and b"ds:" not in signed.xml and b"\n" not in signed.xml
    assert root.findtext(f".//{DSIG}DigestValue") == signed.digest_value
    validate_nfe(signed.xml)


def test_an_unsigned_note_is_rejected_by_the_schema():
    with pytest.raises(NfeSchemaError) as error:
        validate_nfe(build_nfe_xml(sample_document()))
    assert any("Signature" in message for message in error.value.errors)


def test_a_product_without_tax_group_stops_the_build_with_a_fiscal_attributes_error(seller_a, rates):
    seller = ready_seller(seller_a)
    order = OrderFactory(seller=seller)
    product = ProductFactory(seller=seller, tax_group=None)
    OrderItemFactory(order=order, sku=product.sku, product=product)
    with pytest.raises(NfeBuildError) as error:
        prepare_signed_nfe(order, series=1, number=1, environment=2)
    assert error.value.category == "fiscal_attributes" and product.sku in error.value.message


def test_an_item_found_by_sku_without_the_product_link_is_invoiced(seller_a, rates):
    seller = ready_seller(seller_a)
    order = OrderFactory(seller=seller)
    product = ProductFactory(seller=seller)
    OrderItemFactory(order=order, sku=product.sku, product=None)
    assert b"<cProd>" + product.sku.encode() in prepare_signed_nfe(order, series=1, number=1, environment=2).xml


def test_no_certificate_is_a_credentials_error(seller_a, rates):
    seller_a.crt = 1
    seller_a.save()
    AmazonAuthorizationFactory(seller=seller_a)
    order = OrderFactory(seller=seller_a)
    OrderItemFactory(order=order, sku=ProductFactory(seller=seller_a).sku)
    with pytest.raises(NfeBuildError) as error:
        prepare_signed_nfe(order, series=1, number=1, environment=2)
    assert error.value.category == "credentials"


def test_build_nfe_command_writes_a_signed_valid_xml_without_reserving_a_number(seller_a, rates, tmp_path):
    seller = ready_seller(seller_a)
    order = OrderFactory(seller=seller)
    OrderItemFactory(order=order, sku=ProductFactory(seller=seller).sku)
    out = tmp_path / "nfe.xml"
    call_command("build_nfe", str(order.pk), "--sign", "--out", str(out))
    xml = out.read_bytes()
    validate_nfe(xml)
    assert b"<nNF>999999999</nNF>" in xml
    assert not seller.invoice_series.exists() and not seller.invoices.exists()
