"""The 44-character access key (chave de acesso) and the random cNF.

Layout: cUF(2) AAMM(4) CNPJ(14) mod(2) serie(3) nNF(9) tpEmis(1) cNF(8) cDV(1). The check digit is mod 11
with weights 2..9 from the right over `ord(c) - 48`, so the letters of an alphanumeric CNPJ (NT 2025.001) count.
"""

import re
import secrets
from datetime import datetime

_KEY_RE = re.compile(r"^[0-9]{6}[0-9A-Z]{12}[0-9]{26}$")


def check_digit(key43: str) -> int:
    total = sum((ord(c) - 48) * (2 + i % 8) for i, c in enumerate(reversed(key43)))
    remainder = total % 11
    return 0 if remainder < 2 else 11 - remainder


def make_access_key(
    *, uf_code: int | str, issued_at: datetime, cnpj: str, model: int | str, series: int, number: int,
    emission_type: int | str, cnf: str,
) -> str:
    body = (
        f"{int(uf_code):02d}{issued_at:%y%m}{cnpj.upper():>014}{int(model):02d}{series:03d}{number:09d}"
        f"{int(emission_type)}{int(cnf):08d}"
    )
    if len(body) != 43:
        raise ValueError(f"access key body must have 43 characters, got {len(body)}")
    return body + str(check_digit(body))


def is_valid_access_key(key: str) -> bool:
    return bool(key) and bool(_KEY_RE.match(key)) and check_digit(key[:43]) == int(key[43])


def _is_trivial(cnf: str, number: int) -> bool:
    """Rule 897: cNF equal to nNF, or a run like 12345678 / 11111111, is refused."""
    digits = [int(c) for c in cnf]
    steps = {b - a for a, b in zip(digits, digits[1:])}
    return int(cnf) == number or cnf == f"{number:08d}"[-8:] or steps in ({0}, {1}, {-1})


def random_cnf(number: int) -> str:
    """8 random digits from `secrets`, never equal to nNF nor a trivial sequence."""
    while True:
        cnf = f"{secrets.randbelow(100_000_000):08d}"
        if not _is_trivial(cnf, number):
            return cnf
