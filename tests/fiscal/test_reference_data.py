from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from fiscal import reference
from fiscal.management.commands.load_reference_data import restore_ncm_prefix
from fiscal.models import Municipality, StateTaxRate
from products.models import CEST, NCM


def test_only_eight_digit_ncm_codes_are_loaded(reference_data):
    assert NCM.objects.count() > 10000
    assert not NCM.objects.exclude(code__regex=r"^\d{8}$").exists()
    assert NCM.objects.get(code="85171300").valid_from == date(2022, 4, 1)


def test_ncm_exists_accepts_dotted_codes_and_rejects_removed_or_partial_ones(reference_data):
    assert reference.ncm_exists("8517.13.00")
    assert not reference.ncm_exists("85171231")  # the pre-2022 smartphone code, gone from the table
    assert not reference.ncm_exists("8517")


def test_ncm_exists_respects_the_validity_dates(reference_data):
    NCM.objects.filter(code="85171300").update(valid_until=date(2024, 12, 31))
    reference.clear_caches()
    try:
        assert reference.ncm_exists("85171300", on=date(2024, 6, 1))
        assert not reference.ncm_exists("85171300", on=date(2025, 1, 2))
        assert not reference.ncm_exists("85171300", on=date(2022, 3, 31))
    finally:
        reference.clear_caches()


def test_cest_codes_are_stored_without_dots_and_keep_the_full_2023_ncms(reference_data):
    assert not CEST.objects.exclude(code__regex=r"^\d{7}$").exists()
    assert CEST.objects.get(code="0100100").ncm_prefixes == "38151210,38151290"


def test_cest_codes_only_in_2026_get_their_ncm_restored_when_unambiguous(reference_data):
    # 2026 file lists "220299" for 03.010.01; only 22029900 exists under it.
    assert "22029900" in CEST.objects.get(code="0301001").ncm_prefixes.split(",")


def test_restoring_a_prefix_keeps_it_when_several_ncms_share_it():
    assert restore_ncm_prefix("3815129", ["38151210", "38151290"]) == "38151290"
    assert restore_ncm_prefix("381512", ["38151210", "38151290"]) == "381512"


def test_cest_covers_only_the_ncms_of_its_annex(reference_data):
    assert reference.cest_covers("01.001.00", "38151210")
    assert not reference.cest_covers("0100100", "85171300")
    assert not reference.cest_covers("9999999", "38151210")


@pytest.mark.parametrize("city, uf, code", [
    ("São Paulo", "SP", "3550308"),
    ("Sao Paulo", "SP", "3550308"),
    ("SÃO PAULO", "sp", "3550308"),
    ("S. Paulo", "SP", "3550308"),
    ("Sta Rita do Sapucai", "MG", "3159605"),
    ("Alta Floresta Doeste", "RO", "1100015"),
    ("alta floresta d'oeste", "RO", "1100015"),
    ("  rio de janeiro ", "RJ", "3304557"),
])
def test_municipality_code_ignores_accents_case_punctuation_and_abbreviations(reference_data, city, uf, code):
    assert reference.municipality_code(city, uf) == code


def test_municipality_code_needs_the_right_state(reference_data):
    assert reference.municipality_code("São Paulo", "RJ") is None
    assert reference.municipality_code("Cidade Que Não Existe", "SP") is None


def test_municipality_name_by_code(reference_data):
    assert reference.municipality_name("3304557") == "Rio de Janeiro"
    assert Municipality.objects.get(code="3550308").name_key == "sao paulo"


def test_every_state_gets_a_default_rate(reference_data):
    assert StateTaxRate.objects.count() == 27
    assert StateTaxRate.objects.get(uf="SP").internal_rate > Decimal("0")


def test_reloading_is_idempotent_and_keeps_rates_edited_by_staff(reference_data):
    StateTaxRate.objects.filter(uf="SP").update(internal_rate=Decimal("19.50"))
    StateTaxRate.objects.filter(uf="AC").delete()
    counts = (NCM.objects.count(), CEST.objects.count(), Municipality.objects.count())
    call_command("load_reference_data", verbosity=0)
    assert (NCM.objects.count(), CEST.objects.count(), Municipality.objects.count()) == counts
    assert StateTaxRate.objects.get(uf="SP").internal_rate == Decimal("19.50")
    assert StateTaxRate.objects.filter(uf="AC").exists()


def test_only_option_rejects_unknown_parts(db):
    with pytest.raises(CommandError):
        call_command("load_reference_data", only="ncm,planets", verbosity=0)
