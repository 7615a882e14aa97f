"""The official product tables the sandbox checks against: NCM (Siscomex) by date of issue."""

import json
from datetime import date, datetime
from functools import cache
from pathlib import Path

# read in place: the table is data the product also ships, not code to copy
NCM_TABLE = Path(__file__).resolve().parents[2] / "reference_data/ncm/Tabela_NCM_Vigente_20260705.json"


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
