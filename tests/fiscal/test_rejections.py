import json
from pathlib import Path

import pytest

from fiscal.models import ErrorCategory
from fiscal.rejections import RULES, explain_rejection

CSTAT_TABLE = Path("/work/shared/reference/nfe/sped-nfe/cstat.json")


@pytest.mark.parametrize("cstat, category", [
    ("778", ErrorCategory.FISCAL_ATTRIBUTES), ("777", ErrorCategory.FISCAL_ATTRIBUTES),
    ("793", ErrorCategory.FISCAL_ATTRIBUTES), ("806", ErrorCategory.FISCAL_ATTRIBUTES),
    ("237", ErrorCategory.BUYER_ADDRESS), ("208", ErrorCategory.BUYER_ADDRESS), ("275", ErrorCategory.BUYER_ADDRESS),
    ("233", ErrorCategory.BUYER_ADDRESS),
    ("213", ErrorCategory.CREDENTIALS), ("291", ErrorCategory.CREDENTIALS), ("284", ErrorCategory.CREDENTIALS),
    ("694", ErrorCategory.TAX_DATA), ("696", ErrorCategory.TAX_DATA), ("301", ErrorCategory.TAX_DATA),
    ("108", ErrorCategory.SEFAZ), ("656", ErrorCategory.SEFAZ),
    ("610", ErrorCategory.INTERNAL), ("297", ErrorCategory.INTERNAL), ("539", ErrorCategory.INTERNAL),
])
def test_known_cstat_maps_to_its_category(cstat, category):
    assert explain_rejection(cstat, "qualquer").category == category


def test_service_outages_and_clock_problems_are_retryable_but_data_errors_are_not():
    assert explain_rejection("108", "").retryable and explain_rejection("109", "").retryable
    assert explain_rejection("228", "").retryable
    assert not explain_rejection("778", "").retryable
    assert not explain_rejection("539", "").retryable


def test_unknown_codes_fall_back_on_their_range_and_keep_sefaz_reason():
    service = explain_rejection("150", "Serviço em manutenção")
    rejection = explain_rejection("877", "Rejeição: Data de validade inválida")
    denial = explain_rejection("399", "Uso denegado qualquer")
    assert (service.category, service.retryable) == (ErrorCategory.SEFAZ, True)
    assert (rejection.category, rejection.retryable) == (ErrorCategory.INTERNAL, False)
    assert "877" in rejection.message and "Data de validade inválida" in rejection.message
    assert not denial.retryable


def test_every_mapped_code_exists_in_the_official_cstat_list():
    official = {row["cod"] for row in json.loads(CSTAT_TABLE.read_text(encoding="utf-8"))}
    assert set(RULES) - official == set()


def test_every_mapped_message_says_where_or_that_nothing_is_needed():
    for cstat in RULES:
        message = explain_rejection(cstat, "").message
        assert len(message) > 40, cstat
