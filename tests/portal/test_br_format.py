from datetime import datetime, timezone as dt_timezone
from decimal import Decimal

import pytest

from portal.templatetags.br_format import br_date, br_datetime, brl, cep, cpf_cnpj, nfe_key


@pytest.mark.parametrize("value, shown", [
    (Decimal("1234.56"), "R$ 1.234,56"), (Decimal("0.005"), "R$ 0,01"), (Decimal("1234567.8"), "R$ 1.234.567,80"),
    (Decimal("-10"), "-R$ 10,00"), (None, ""),
])
def test_money_is_shown_in_reais_with_brazilian_separators_rounded_half_up(value, shown):
    assert brl(value) == shown


def test_dates_are_shown_in_sao_paulo_time_day_first():
    utc = datetime(2026, 1, 1, 2, 30, tzinfo=dt_timezone.utc)  # 23:30 on the 31st in São Paulo
    assert br_datetime(utc) == "31/12/2025 23:30"
    assert br_date(utc) == "31/12/2025"


@pytest.mark.parametrize("raw, masked", [
    ("12345678909", "123.456.789-09"), ("11222333000181", "11.222.333/0001-81"),
    ("12ABC34501DE35", "12.ABC.345/01DE-35"), ("123", "123"),
])
def test_cpf_and_cnpj_get_their_masks(raw, masked):
    assert cpf_cnpj(raw) == masked


def test_cep_and_access_key_are_grouped():
    assert cep("01310100") == "01310-100"
    assert nfe_key("3" * 44).count(" ") == 10
