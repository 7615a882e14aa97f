import pytest

from sellers.documents import (
    cep_matches_uf, complete_cnpj, complete_cpf, format_cnpj, is_valid_cnpj, is_valid_cpf, is_valid_gtin,
)


@pytest.mark.parametrize("cnpj", ["11.222.333/0001-81", "11222333000181", "12.ABC.345/01DE-35", "12abc34501de35"])
def test_known_good_cnpjs_numeric_and_alphanumeric_are_accepted(cnpj):
    assert is_valid_cnpj(cnpj)


@pytest.mark.parametrize(
    "cnpj", ["11.222.333/0001-82", "11111111111111", "12.ABC.345/01DE-36", "1122233300018", "12ABC34501DEA5", ""]
)
def test_bad_cnpjs_are_refused(cnpj):
    assert not is_valid_cnpj(cnpj)


@pytest.mark.parametrize("cpf", ["529.982.247-25", "52998224725", "111.444.777-35"])
def test_known_good_cpfs_are_accepted(cpf):
    assert is_valid_cpf(cpf)


@pytest.mark.parametrize("cpf", ["529.982.247-24", "11111111111", "5299822472", "52998224725a", ""])
def test_bad_cpfs_are_refused(cpf):
    assert not is_valid_cpf(cpf)


@pytest.mark.parametrize("gtin", ["7891000315507", "96385074", "036000291452", "17891000315504"])
def test_known_good_gtins_are_accepted(gtin):
    assert is_valid_gtin(gtin)


@pytest.mark.parametrize("gtin", ["7891000315508", "789100031550", "SEM GTIN", "12345", ""])
def test_bad_gtins_are_refused(gtin):
    assert not is_valid_gtin(gtin)


def test_check_digit_helpers_produce_valid_documents():
    assert is_valid_cnpj(complete_cnpj("12ABC34501DE"))
    assert complete_cnpj("12ABC34501DE") == "12ABC34501DE35"
    assert is_valid_cpf(complete_cpf("529982247"))


def test_cnpj_is_formatted_with_its_mask():
    assert format_cnpj("12ABC34501DE35") == "12.ABC.345/01DE-35"


def test_cep_is_checked_against_the_state_range():
    assert cep_matches_uf("01310-100", "SP")
    assert not cep_matches_uf("01310-100", "RJ")
    assert cep_matches_uf("30130-010", "MG")
    assert not cep_matches_uf("3013001", "MG")
