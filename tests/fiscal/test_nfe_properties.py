"""Property tests: totals always add up, the access key's check digit is right for any input, texts stay legal."""

import re
from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from hypothesis import given, settings, strategies as st
from lxml import etree

from fiscal.nfe.access_key import check_digit, is_valid_access_key, make_access_key, random_cnf
from fiscal.nfe.build import build_nfe_xml
from fiscal.nfe.inputs import Item, TaxRule
from fiscal.nfe.money import apportion
from fiscal.nfe.samples import NORMAL_RULE, sample_document
from fiscal.nfe.text import nfe_text
from fiscal.nfe.taxes import compute_taxes
from fiscal.nfe.totals import compute_totals
from sellers.documents import complete_cnpj

NS = {"n": "http://www.portalfiscal.inf.br/nfe"}
cents = st.integers(min_value=1, max_value=5_000_000).map(lambda c: Decimal(c) / 100)
RULES = [
    NORMAL_RULE,
    TaxRule(icms_cst="10", icms_st_mva=Decimal("35.5"), pis_cst="01", pis_rate=Decimal("1.65"), cofins_cst="07",
            ipi_cst="50", ipi_rate=Decimal("6.5")),
    TaxRule(icms_cst="20", icms_base_reduction=Decimal("41.67")),
    TaxRule(icms_cst="40"),
]


@st.composite
def documents(draw):
    rule = draw(st.sampled_from(RULES))
    totals = draw(st.lists(cents, min_size=1, max_size=6))
    items = tuple(
        Item(code=f"S{n}", description="Produto", ncm="85183000", origin=draw(st.sampled_from([0, 1, 2])),
             unit="UN", quantity=Decimal(draw(st.integers(1, 50))), total=total, rule=rule)
        for n, total in enumerate(totals)
    )
    gross = sum(totals, Decimal(0))
    shipping = draw(st.integers(0, 100_000).map(lambda c: Decimal(c) / 100))
    discount = draw(st.integers(0, int(gross * 100) - len(totals)).map(lambda c: Decimal(c) / 100))
    return replace(sample_document(), items=items, shipping=shipping, discount=discount)


def _sum(root, path):
    return sum((Decimal(e.text) for e in root.findall(path, NS)), Decimal(0))


@settings(max_examples=60, deadline=None)
@given(documents())
def test_every_total_is_the_sum_of_its_items_and_vnf_adds_up(doc):
    root = etree.fromstring(build_nfe_xml(doc))
    tot = {e.tag.split("}")[1]: Decimal(e.text) for e in root.find(".//n:ICMSTot", NS)}
    for total_tag, item_path in (
        ("vProd", ".//n:det/n:prod/n:vProd"), ("vFrete", ".//n:det/n:prod/n:vFrete"),
        ("vDesc", ".//n:det/n:prod/n:vDesc"), ("vICMS", ".//n:det//n:ICMS/*/n:vICMS"),
        ("vST", ".//n:det//n:vICMSST"), ("vIPI", ".//n:det//n:vIPI"), ("vPIS", ".//n:det//n:vPIS"),
        ("vCOFINS", ".//n:det//n:vCOFINS"), ("vTotTrib", ".//n:det/n:imposto/n:vTotTrib"),
    ):
        assert tot[total_tag] == _sum(root, item_path), total_tag
    assert tot["vFrete"] == doc.shipping and tot["vDesc"] == doc.discount
    expected = tot["vProd"] - tot["vDesc"] + tot["vST"] + tot["vFCPST"] + tot["vFrete"] + tot["vOutro"] + tot["vIPI"]
    assert tot["vNF"] == expected
    assert _sum(root, ".//n:pag/n:detPag/n:vPag") == tot["vNF"]


@given(st.lists(cents, min_size=1, max_size=20), cents)
def test_apportioned_parts_add_up_to_the_total_and_never_go_negative(weights, total):
    parts = apportion(total, weights)
    assert sum(parts) == total
    assert all(p >= 0 for p in parts)


@settings(max_examples=30, deadline=None)
@given(documents())
def test_item_taxes_never_negative(doc):
    for t in compute_taxes(doc).items:
        assert min(t.icms_value, t.st_value, t.pis_value, t.cofins_value, t.ipi_value, t.total_taxes) >= 0
    assert compute_totals(compute_taxes(doc)).vNF > 0


alnum = st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=12, max_size=12)


@given(alnum, st.integers(1, 999_999_999), st.integers(0, 999), st.sampled_from([1, 6, 7, 9]),
       st.datetimes(min_value=datetime(2006, 1, 1), max_value=datetime(2099, 12, 31)))
def test_access_key_check_digit_is_right_for_any_cnpj_number_and_series(base, number, series, tp_emis, when):
    cnpj = complete_cnpj(base)
    cnf = random_cnf(number)
    key = make_access_key(uf_code=35, issued_at=when, cnpj=cnpj, model=55, series=series, number=number,
                          emission_type=tp_emis, cnf=cnf)
    assert len(key) == 44 and key[6:20] == cnpj and is_valid_access_key(key)
    # Independent computation of the mod-11 digit, weights 2..9 cycling from the right, ord(c) - 48.
    weights = [2 + i % 8 for i in range(43)][::-1]
    remainder = sum((ord(c) - 48) * w for c, w in zip(key[:43], weights)) % 11
    assert int(key[43]) == (0 if remainder < 2 else 11 - remainder)
    assert not is_valid_access_key(key[:43] + str((int(key[43]) + 1) % 10))


def test_published_sample_key_has_the_expected_check_digit():
    # The example key of the Manual de Orientação do Contribuinte: 52060433009911002506550120000007800267301615.
    assert check_digit("5206043300991100250655012000000780026730161") == 5


@given(st.integers(1, 999_999_999))
def test_random_cnf_is_eight_digits_and_never_the_number(number):
    cnf = random_cnf(number)
    assert re.fullmatch(r"\d{8}", cnf) and int(cnf) != number and len(set(cnf)) > 1


@given(st.text(), st.integers(1, 200))
def test_sanitized_text_keeps_only_allowed_characters_and_the_length(value, max_length):
    cleaned = nfe_text(value, max_length)
    assert len(cleaned) <= max_length
    assert all(" " <= c <= "\u00ff" and c != "\x7f" for c in cleaned)
    assert cleaned == cleaned.strip() and "  " not in cleaned


def test_text_transliterates_what_it_can_and_drops_emoji():
    assert nfe_text("Fone “Pro” – 10€ 😀 Ωmega ﬁbra\nnovo", 60) == 'Fone "Pro" - 10EUR mega fibra novo'
    assert nfe_text("Caneca térmica de aço inoxidável", 60) == "Caneca térmica de aço inoxidável"


def test_text_cuts_at_a_word_boundary():
    assert nfe_text("Cabo USB tipo C reforçado para carregador", 20) == "Cabo USB tipo C"
