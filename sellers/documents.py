"""Brazilian document numbers: CPF, CNPJ (numeric and the alphanumeric CNPJ of IN RFB 2.229/2024), GTIN, CEP.

Pure functions with no Django import, so the NF-e engine, importers and forms share one definition.
"""

import re

_CNPJ_RE = re.compile(r"^[0-9A-Z]{12}[0-9]{2}$")
_CNPJ_WEIGHTS_1 = (5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)
_CNPJ_WEIGHTS_2 = (6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)


def only_document_chars(value: str) -> str:
    """Strip masks ('.', '/', '-', spaces) and upper-case: '12.abc.345/01de-35' -> '12ABC34501DE35'."""
    return re.sub(r"[^0-9A-Za-z]", "", value or "").upper()


def only_digits(value: str) -> str:
    return re.sub(r"\D", "", value or "")


def _mod11_digit(values: list[int], weights: tuple[int, ...]) -> int:
    remainder = sum(v * w for v, w in zip(values, weights)) % 11
    return 0 if remainder < 2 else 11 - remainder


def is_valid_cnpj(value: str) -> bool:
    """Numeric or alphanumeric CNPJ: each character counts as ord(c) - 48 (so 'A' = 17), per IN RFB 2.229/2024."""
    cnpj = only_document_chars(value)
    if not _CNPJ_RE.match(cnpj) or len(set(cnpj)) == 1:
        return False
    values = [ord(c) - 48 for c in cnpj]
    first = _mod11_digit(values[:12], _CNPJ_WEIGHTS_1)
    second = _mod11_digit(values[:12] + [first], _CNPJ_WEIGHTS_2)
    return values[12] == first and values[13] == second


def is_valid_cpf(value: str) -> bool:
    cpf = only_digits(value)
    if len(cpf) != 11 or len(set(cpf)) == 1 or re.search(r"[A-Za-z]", value or ""):
        return False
    digits = [int(c) for c in cpf]
    first = _mod11_digit(digits[:9], tuple(range(10, 1, -1)))
    second = _mod11_digit(digits[:10], tuple(range(11, 1, -1)))
    return digits[9] == first and digits[10] == second


def cnpj_root(value: str) -> str:
    """The first 8 characters identify the company; SEFAZ compares certificate and emitter on them (213)."""
    return only_document_chars(value)[:8]


def is_valid_gtin(value: str) -> bool:
    """GTIN-8/12/13/14 with the GS1 check digit (weights 3,1 from the right, excluding the check digit)."""
    if not value or not value.isdigit() or len(value) not in (8, 12, 13, 14):
        return False
    body, check = value[:-1], int(value[-1])
    total = sum(int(c) * (3 if i % 2 == 0 else 1) for i, c in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def format_cnpj(value: str) -> str:
    c = only_document_chars(value)
    return f"{c[:2]}.{c[2:5]}.{c[5:8]}/{c[8:12]}-{c[12:]}" if len(c) == 14 else value


def format_cpf(value: str) -> str:
    c = only_digits(value)
    return f"{c[:3]}.{c[3:6]}.{c[6:9]}-{c[9:]}" if len(c) == 11 else value


def format_document(value: str) -> str:
    c = only_document_chars(value)
    return format_cnpj(c) if len(c) == 14 else format_cpf(c)


def format_cep(value: str) -> str:
    c = only_digits(value)
    return f"{c[:5]}-{c[5:]}" if len(c) == 8 else value


# CEP ranges per UF (Correios). A CEP outside its UF's ranges means the address is wrong (SEFAZ answers 275-279).
CEP_RANGES: dict[str, tuple[tuple[int, int], ...]] = {
    "SP": ((1000000, 19999999),),
    "RJ": ((20000000, 28999999),),
    "ES": ((29000000, 29999999),),
    "MG": ((30000000, 39999999),),
    "BA": ((40000000, 48999999),),
    "SE": ((49000000, 49999999),),
    "PE": ((50000000, 56999999),),
    "AL": ((57000000, 57999999),),
    "PB": ((58000000, 58999999),),
    "RN": ((59000000, 59999999),),
    "CE": ((60000000, 63999999),),
    "PI": ((64000000, 64999999),),
    "MA": ((65000000, 65999999),),
    "PA": ((66000000, 68899999),),
    "AP": ((68900000, 68999999),),
    "AM": ((69000000, 69299999), (69400000, 69899999)),
    "RR": ((69300000, 69399999),),
    "AC": ((69900000, 69999999),),
    "DF": ((70000000, 72799999), (73000000, 73699999)),
    "GO": ((72800000, 72999999), (73700000, 76799999)),
    "TO": ((77000000, 77999999),),
    "MT": ((78000000, 78899999),),
    "RO": ((76800000, 76999999),),
    "MS": ((79000000, 79999999),),
    "PR": ((80000000, 87999999),),
    "SC": ((88000000, 89999999),),
    "RS": ((90000000, 99999999),),
}

# IBGE state codes (cUF), used in the access key and cMun.
UF_CODES: dict[str, int] = {
    "RO": 11, "AC": 12, "AM": 13, "RR": 14, "PA": 15, "AP": 16, "TO": 17, "MA": 21, "PI": 22, "CE": 23,
    "RN": 24, "PB": 25, "PE": 26, "AL": 27, "SE": 28, "BA": 29, "MG": 31, "ES": 32, "RJ": 33, "SP": 35,
    "PR": 41, "SC": 42, "RS": 43, "MS": 50, "MT": 51, "GO": 52, "DF": 53,
}
UF_CHOICES = [(uf, uf) for uf in sorted(UF_CODES)]


def cep_matches_uf(cep: str, uf: str) -> bool:
    digits = only_digits(cep)
    if len(digits) != 8 or uf not in CEP_RANGES:
        return False
    number = int(digits)
    return any(low <= number <= high for low, high in CEP_RANGES[uf])


def complete_cnpj(first_twelve: str) -> str:
    """Append the two check digits to a 12-character CNPJ base (demo data and tests)."""
    values = [ord(c) - 48 for c in first_twelve.upper()]
    first = _mod11_digit(values, _CNPJ_WEIGHTS_1)
    second = _mod11_digit(values + [first], _CNPJ_WEIGHTS_2)
    return f"{first_twelve.upper()}{first}{second}"


def complete_cpf(first_nine: str) -> str:
    digits = [int(c) for c in first_nine]
    first = _mod11_digit(digits, tuple(range(10, 1, -1)))
    second = _mod11_digit(digits + [first], tuple(range(11, 1, -1)))
    return f"{first_nine}{first}{second}"
