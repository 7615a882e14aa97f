"""Which SEFAZ server authorizes each UF, and the URL of each NF-e 4.00 service there.

The table is data (data/authorizers.json, derived from sped-nfe's wsnfe_4.00_mod55.xml and
autorizadores.json): when a state moves to another authorizer we change the JSON, not the code.
Its "_disagreements" key records where the field's libraries disagree (PA; CE/PI contingency).
"""

import json
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

DATA = Path(__file__).parent / "data" / "authorizers.json"
OPERATIONS = (
    "NFeAutorizacao4", "NFeRetAutorizacao4", "NFeConsultaProtocolo4",
    "NFeStatusServico4", "NFeRecepcaoEvento4", "NFeInutilizacao4",
)
# The local sandbox serves SVRS's paths: with an override only the scheme and host change.
OVERRIDE_PATHS_FROM = "SVRS"


@cache
def _table() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def authorizer_for(uf: str, *, contingency: bool = False) -> str:
    """'SVRS', 'SVAN', 'SP', ... or the SVC server ('SVCAN'/'SVCRS') that stands in for the UF."""
    key = "uf_contingency" if contingency else "uf_authorizer"
    try:
        return _table()[key][uf.upper()]
    except KeyError:
        raise ValueError(f"unknown UF {uf!r}") from None


def service_url(uf: str, environment: int, operation: str, *, contingency: bool = False) -> str:
    """The full URL of `operation` for the UF's authorizer (environment 1 produção, 2 homologação)."""
    if operation not in OPERATIONS:
        raise ValueError(f"unknown operation {operation!r}")
    override = settings.SEFAZ_BASE_URL_OVERRIDE
    server = OVERRIDE_PATHS_FROM if override else authorizer_for(uf, contingency=contingency)
    url = _table()["servers"][server][str(environment)].get(operation)
    if not url:
        raise ValueError(f"{server} offers no {operation} in environment {environment}")
    if override:
        return override.rstrip("/") + urlsplit(url).path
    return url


def all_ufs() -> list[str]:
    return sorted(_table()["uf_authorizer"])
