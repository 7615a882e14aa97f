"""The official tables the sandbox checks against: NCM (Siscomex) by date of issue, IBGE municipalities."""

import bz2
import json
from datetime import date, datetime
from functools import cache
from pathlib import Path

# read in place: the table is data the product also ships, not code to copy
NCM_TABLE = Path(__file__).resolve().parents[2] / "reference_data/ncm/Tabela_NCM_Vigente_20260705.json"
# IBGE's 27 UFs and 5,572 municipalities (django-municipios fixture: model "municipios.uf" / "municipios.municipio")
IBGE_TABLE = Path(__file__).resolve().parents[2] / "reference_data/ibge/municipios.json.bz2"


@cache
def ncm_periods() -> dict[str, list[tuple[date, date]]]:
    """Code (digits only) -> validity periods, for chapters (2 digits) and full codes (8 digits)."""
    rows = json.loads(NCM_TABLE.read_text(encoding="utf-8"))["Nomenclaturas"]
    periods: dict[str, list[tuple[date, date]]] = {}
    for row in rows:
        code = row["Codigo"].replace(".", "")
        if len(code) in (2, 8):
            periods.setdefault(code, []).append((_day(row["Data_Inicio"]), _day(row["Data_Fim"])))
    return periods


def ncm_in_force(code: str, on: date) -> bool:
    return any(start <= on <= end for start, end in ncm_periods().get(code, []))


def _day(text: str) -> date:
    return datetime.strptime(text, "%d/%m/%Y").date()


@cache
def _ibge() -> tuple[dict[str, str], dict[str, str]]:
    """UF abbreviation -> its IBGE code ("SP" -> "35"), and municipality code -> its UF's IBGE code."""
    rows = json.loads(bz2.decompress(IBGE_TABLE.read_bytes()))
    ufs = {row["fields"]["uf"]: str(row["pk"]) for row in rows if row["model"] == "municipios.uf"}
    towns = {str(row["pk"]): str(row["fields"]["uf"]) for row in rows if row["model"] == "municipios.municipio"}
    return ufs, towns


def uf_code(uf: str) -> str | None:
    return _ibge()[0].get(uf)


def municipality_uf(cMun: str) -> str | None:
    """The IBGE code of the UF the municipality belongs to; None when IBGE has no such municipality.

    The table holds the 11 municipalities whose official code fails the IBGE check digit (4305871 Coronel
    Barros, 2201919 Bom Princípio do Piauí...), which SEFAZ lists as exceptions to that rule.
    """
    return _ibge()[1].get(cMun)
