"""fast_xml writes exactly the bytes of xsdata's serializer, for every document the other NF-e tests build."""

from dataclasses import dataclass, field, replace
from functools import cache

import pytest
from hypothesis import example, given, settings, strategies as st
from nfelib.nfe.bindings.v4_0.nfe_v4_00 import Nfe
from xsdata.formats.dataclass.parsers import XmlParser

from fiscal.nfe import build, fast_xml, issue, text
from fiscal.nfe.build import build_nfe, serialize, serialize_with_xsdata
from fiscal.nfe.samples import RJ_ADDRESS, SIMPLES_RULE, SP_ADDRESS, sample_document
from fiscal.nfe.schema import validate_nfe
from fiscal.nfe.signing import sign_nfe, signing_key_from_pfx
from sellers.certificates import make_test_pfx
from tests.fiscal import test_nfe_golden as golden
from tests.fiscal.test_nfe_golden import rates  # noqa: F401
from tests.fiscal.test_nfe_properties import RULES, documents

# Texts that need escaping (& < > in text, " in attributes) and Latin-1 accents, as buyers type them.
tricky_text = st.text(alphabet=st.sampled_from(list("aZ09 &<>\"'ãçéÓüñ¡¿ºª°×÷ÿ;#-")), min_size=2, max_size=80).filter(
    lambda s: len(" ".join(s.split())) >= 2  # the XSD's names and streets take at least 2 characters
)


@cache
def signing_key():
    return signing_key_from_pfx(make_test_pfx(cnpj="11222333000181", name="TESTE", password="p"), "p")


def assert_same_bytes(nfe: Nfe) -> bytes:
    expected = serialize_with_xsdata(nfe)
    assert fast_xml.to_xml_bytes(nfe, default_namespace=build.NFE_NAMESPACE) == expected
    assert serialize(nfe) == expected
    return expected


@pytest.mark.parametrize("kwargs", [
    {}, {"items": 1}, {"items": 7}, {"crt": 1, "rule": SIMPLES_RULE}, {"destination": SP_ADDRESS},
    {"environment": 1}, *({"rule": rule, "items": 3} for rule in RULES),
])
def test_sample_documents_are_byte_identical_and_schema_valid_once_signed(kwargs):
    xml = assert_same_bytes(build_nfe(sample_document(**kwargs))[0])
    validate_nfe(sign_nfe(xml, signing_key()).xml)


GOLDEN_TESTS = [getattr(golden, name) for name in dir(golden) if name.startswith("test_")]


@pytest.mark.parametrize("golden_test", GOLDEN_TESTS, ids=lambda t: t.__name__)
def test_every_golden_document_is_byte_identical(golden_test, seller_a, rates, monkeypatch):  # noqa: F811
    # Replays the golden test with issuing's serializer checked against xsdata's on each document it builds.
    checked = []
    monkeypatch.setattr(issue, "serialize", lambda nfe: checked.append(1) or assert_same_bytes(nfe))
    golden_test(seller_a, rates)
    assert checked


@settings(max_examples=40, deadline=None)
@given(documents())
def test_property_documents_are_byte_identical(doc):
    assert_same_bytes(build_nfe(doc)[0])


@settings(max_examples=40, deadline=None)
@given(doc=documents(), name=tricky_text, street=tricky_text, description=tricky_text, info=tricky_text)
def test_escaped_texts_are_byte_identical_and_schema_valid_once_signed(doc, name, street, description, info):
    emitter = replace(doc.emitter, name=name, trade_name=name, address=replace(SP_ADDRESS, street=street))
    recipient = replace(doc.recipient, name=name, address=replace(RJ_ADDRESS, complement=street))
    items = tuple(replace(item, description=description) for item in doc.items)
    doc = replace(doc, emitter=emitter, recipient=recipient, items=items, environment=1, additional_info=info)
    xml = assert_same_bytes(build_nfe(doc)[0])
    validate_nfe(sign_nfe(xml, signing_key()).xml)


@settings(max_examples=100, deadline=None)
@given(content=st.text(), attribute=st.text())
@example(content="a & b < c > d ]]> \r\n\t \"q\" 'a' çãé", attribute="x\"&<>'\t\n\r é")
@example(content="nul \x00", attribute="ok").via("a character lxml refuses")
@example(content="ok", attribute="\ufffe").via("a character lxml refuses")
def test_any_text_or_attribute_value_is_escaped_as_xsdata_does_or_refused_the_same_way(content, attribute):
    # Straight into the bindings, past nfe_text: control characters, \r, \t, \n, quotes, anything.
    nfe = build_nfe(sample_document())[0]
    nfe.infNFe.infAdic.infCpl = content
    nfe.infNFe.Id = attribute
    try:
        expected = serialize_with_xsdata(nfe)
    except ValueError as error:  # lxml refuses what is not an XML character
        with pytest.raises(type(error)):
            fast_xml.to_xml_bytes(nfe, default_namespace=build.NFE_NAMESPACE)
        return
    assert fast_xml.to_xml_bytes(nfe, default_namespace=build.NFE_NAMESPACE) == expected


def test_empty_values_become_empty_elements_as_with_xsdata():
    nfe = build_nfe(sample_document())[0]
    nfe.infNFe.compra.xPed = ""
    nfe.infNFe.infAdic.infCpl = None  # <infAdic/>: a binding with nothing set
    nfe.infNFe.det[0].infAdProd = ""
    assert b"<xPed/>" in assert_same_bytes(nfe) and b"<infAdic/>" in serialize(nfe)


def test_a_signed_binding_writes_the_xmldsig_signature_with_xsdata_s_prefix():
    signed = sign_nfe(serialize(build_nfe(sample_document())[0]), signing_key()).xml
    nfe = XmlParser().from_bytes(signed, Nfe)
    assert nfe.signature is not None
    assert b'<ns1:Signature xmlns:ns1="http://www.w3.org/2000/09/xmldsig#">' in assert_same_bytes(nfe)


@dataclass
class _Wildcard:
    class Meta:
        name = "wild"
        namespace = build.NFE_NAMESPACE

    anything: list[object] = field(default_factory=list, metadata={"type": "Wildcard", "namespace": "##any"})


def test_a_binding_feature_it_does_not_reproduce_is_refused_not_guessed():
    with pytest.raises(fast_xml.UnsupportedBinding):
        fast_xml.to_xml_bytes(_Wildcard(), default_namespace=build.NFE_NAMESPACE)


LATIN1 = [chr(c) for c in range(0x20, 0x100)]


@given(st.text(alphabet=st.sampled_from(LATIN1)) | st.text())
def test_clean_texts_skip_the_character_loop_with_the_same_result(value):
    # text.clean_text's shortcut (the other half of the build's saving) must change nothing.
    assert text.clean_text(value) == text._clean(value)


@pytest.mark.parametrize("char", LATIN1 + ["\x85", "\u00a0", "\u2013", "e\u0301"])
def test_every_latin1_character_is_cleaned_the_same_way_with_or_without_the_shortcut(char):
    for value in (char, f"a{char}b", f"{char} {char}", f"x {char}{char} y"):
        assert text.clean_text(value) == text._clean(value)
