"""The tax tables: interstate routes, per-UF defaults and the CST/CSOSN catalogue."""

from decimal import Decimal

import pytest

from fiscal.nfe.tax_tables import DEFAULT_STATE_RATES, ICMS_BEHAVIOUR, PIS_COFINS_GROUP
from fiscal.nfe.taxes import interstate_rate
from sellers.documents import UF_CODES


@pytest.mark.parametrize(("origin_uf", "destination_uf", "origin", "expected"), [
    ("SP", "BA", 0, "7"),  # South/Southeast -> Northeast
    ("SP", "ES", 0, "7"),  # ES counts with the North/Northeast/Centre-West
    ("PR", "GO", 5, "7"),
    ("SP", "RJ", 0, "12"),  # within South/Southeast
    ("ES", "SP", 0, "12"),  # from ES
    ("BA", "PE", 0, "12"),  # between N/NE/CO
    ("BA", "SP", 0, "12"),
    ("SP", "BA", 1, "4"),  # imported goods, any route
    ("MG", "RS", 8, "4"),
    ("AM", "SP", 2, "4"),
    ("SP", "RJ", 3, "4"),
])
def test_interstate_rate_by_route_and_origin(origin_uf, destination_uf, origin, expected):
    assert interstate_rate(origin_uf, destination_uf, origin) == Decimal(expected)


def test_default_state_rates_cover_every_uf_with_plausible_values():
    assert set(DEFAULT_STATE_RATES) == set(UF_CODES)
    assert all(Decimal("17") <= internal <= Decimal("23") and fcp <= Decimal("4") for internal, fcp in DEFAULT_STATE_RATES.values())


def test_every_cst_and_csosn_of_the_issue_has_a_behaviour():
    wanted = {"101", "102", "103", "201", "202", "300", "400", "500", "900", "00", "10", "20", "40", "41", "60", "90"}
    assert wanted <= set(ICMS_BEHAVIOUR)
    assert {"01", "02", "04", "05", "06", "07", "08", "09", "49", "99"} <= set(PIS_COFINS_GROUP)
