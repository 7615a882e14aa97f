"""Cached look-ups in the official reference tables: NCM, CEST and IBGE municipalities.

The tables change a few times a year (load_reference_data), so each is read once per process into a dict
(NCM ~10,500 codes ~2 MB, municipalities 5,572) and every check afterwards is a dict hit. An empty table is
never cached, so a process that looked before the data was loaded sees it once it is there.
Call `clear_caches()` after reloading the tables in the same process.
"""

import re
import unicodedata
from datetime import date

from products.models import CEST, NCM

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Abbreviations people type in Amazon's city field, expanded before matching (word by word).
_ABBREVIATIONS = {
    "sta": "santa", "sto": "santo", "sra": "senhora", "ns": "nossa senhora", "dr": "doutor",
    "pres": "presidente", "gov": "governador", "mal": "marechal", "cel": "coronel", "sen": "senador",
    "fco": "francisco", "pe": "padre",
}
_SAINTS = ("sao", "santa", "santo")  # "S. Paulo", "S Jose": try each reading


def name_key(text: str) -> str:
    """'São  Paulo-SP' -> 'sao paulo sp': lower case, no accents, punctuation collapsed to single spaces."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii")
    return _NON_ALNUM.sub(" ", plain.lower()).strip()


def only_digits(value: str) -> str:
    return re.sub(r"\D", "", value or "")


# --- NCM ---------------------------------------------------------------------------------------------

def _ncm_table() -> dict[str, tuple[date | None, date | None]]:
    return _cached("ncm", lambda: {c: (f, u) for c, f, u in NCM.objects.values_list("code", "valid_from", "valid_until")})


def ncm_exists(code: str, on: date | None = None) -> bool:
    """True when `code` (8 digits, dots allowed) is in the official table and in force on `on` (default today)."""
    validity = _ncm_table().get(only_digits(code))
    if validity is None or len(only_digits(code)) != 8:
        return False
    on = on or date.today()
    valid_from, valid_until = validity
    return (valid_from is None or valid_from <= on) and (valid_until is None or on <= valid_until)


# --- CEST --------------------------------------------------------------------------------------------

def _cest_table() -> dict[str, tuple[str, ...]]:
    rows = CEST.objects.values_list("code", "ncm_prefixes")
    return _cached("cest", lambda: {code: tuple(p for p in prefixes.split(",") if p) for code, prefixes in rows})


def cest_exists(cest: str) -> bool:
    return only_digits(cest) in _cest_table()


def cest_covers(cest: str, ncm: str) -> bool:
    """True when the CEST exists and one of its NCM prefixes starts the NCM (Conv. ICMS 142/18 annexes).

    A CEST that the table lists without any NCM is accepted for every NCM: nothing to check it against.
    """
    prefixes = _cest_table().get(only_digits(cest))
    if prefixes is None:
        return False
    ncm = only_digits(ncm)
    return not prefixes or any(ncm.startswith(p) for p in prefixes)


# --- Municipalities ----------------------------------------------------------------------------------

def _municipalities() -> tuple[dict[tuple[str, str], str], dict[str, str]]:
    def build():
        from fiscal.models import Municipality

        by_key: dict[tuple[str, str], str] = {}
        names: dict[str, str] = {}
        for code, name, key, uf in Municipality.objects.values_list("code", "name", "name_key", "uf"):
            by_key[(uf, key)] = code
            by_key.setdefault((uf, key.replace(" ", "")), code)  # "D'Oeste" typed as "Doeste"
            names[code] = name
        return (by_key, names) if names else None

    return _cached("municipalities", build) or ({}, {})


def _candidate_keys(city: str) -> list[str]:
    words = name_key(city).split()
    expanded = " ".join(_ABBREVIATIONS.get(w, w) for w in words)
    keys = [" ".join(words), expanded]
    if words and words[0] == "s":
        keys += [" ".join([saint, *words[1:]]) for saint in _SAINTS]
    return keys + [k.replace(" ", "") for k in keys]


def municipality_code(city: str, uf: str) -> str | None:
    """The IBGE code (cMun) of `city` in `uf`, ignoring case, accents, punctuation and common abbreviations."""
    by_key, _names = _municipalities()
    uf = (uf or "").strip().upper()
    for key in _candidate_keys(city):
        if key and (code := by_key.get((uf, key))):
            return code
    return None


def municipality_name(code: str) -> str | None:
    return _municipalities()[1].get(only_digits(code))


# --- cache -------------------------------------------------------------------------------------------

_CACHE: dict[str, object] = {}


def _cached(name: str, build):
    if name not in _CACHE:
        value = build()
        if not value:
            return value
        _CACHE[name] = value
    return _CACHE[name]


def clear_caches() -> None:
    _CACHE.clear()

