"""Amazon's free-form delivery address turned into the NF-e's fields (xLgr, nro, xCpl, xBairro, cMun, UF, CEP).

Amazon sends lines (`AddressLine1..3`, v0 PascalCase or 2026 camelCase) and, for some Brazilian orders, the
`ExtendedFields` (StreetName, StreetNumber, Complement, Neighborhood). The extended fields win; the lines fill
what they leave empty. A number is never invented: `S/N` only when the buyer wrote s/n, sn or "sem número";
otherwise the order is blocked with `number_missing` so the seller asks the buyer.
"""

import re
from dataclasses import dataclass, field

from fiscal.reference import municipality_code, name_key
from sellers.documents import CEP_RANGES, cep_matches_uf, only_digits

NO_NUMBER = "S/N"

STATE_NAMES = {
    "acre": "AC", "alagoas": "AL", "amapa": "AP", "amazonas": "AM", "bahia": "BA", "ceara": "CE",
    "distrito federal": "DF", "espirito santo": "ES", "goias": "GO", "maranhao": "MA", "mato grosso": "MT",
    "mato grosso do sul": "MS", "minas gerais": "MG", "para": "PA", "paraiba": "PB", "parana": "PR",
    "pernambuco": "PE", "piaui": "PI", "rio de janeiro": "RJ", "rio grande do norte": "RN",
    "rio grande do sul": "RS", "rondonia": "RO", "roraima": "RR", "santa catarina": "SC", "sao paulo": "SP",
    "sergipe": "SE", "tocantins": "TO",
}

_COMPLEMENT_WORDS = (
    r"apto|apt|ap|apartamento|bloco|bl|casa|cs|sala|sl|conj|cj|conjunto|lote|lt|quadra|qd|andar|fundos|frente|"
    r"loja|lj|km|torre|box|galpao|galpão|edificio|edifício|ed|cond|condominio|condomínio|unidade|un"
)
_COMPLEMENT_START = re.compile(rf"^(?:{_COMPLEMENT_WORDS})\b\.?", re.IGNORECASE)
_NO_NUMBER = re.compile(r"(?:^|[\s,\-])(s\s*/\s*n[º°o]?|s\.\s*n\.?|sn|sem\s+n[uú]mero|sem\s+n[º°o]\.?)(?=$|[\s,\-.])", re.IGNORECASE)
_MARKED_NUMBER = re.compile(r"(?:^|[\s,])(?:n[º°o]\.?|n\.|num\.?|n[uú]mero)\s*:?\s*(\d+[A-Za-z]?)\b", re.IGNORECASE)
_COMMA_NUMBER = re.compile(r"^(?P<street>.+?),\s*(?P<number>\d+[A-Za-z]?)\b(?P<rest>.*)$")
_TRAILING_NUMBER = re.compile(
    rf"^(?P<street>.*[^\d\s].*?)\s+(?P<number>\d+[A-Za-z]?)(?P<rest>(?:\s*[-,/]?\s*(?:{_COMPLEMENT_WORDS})\b.*)?)$",
    re.IGNORECASE,
)
_STREET_TYPES = {"rua", "r", "avenida", "av", "travessa", "tv", "alameda", "al", "estrada", "est", "rodovia", "rod",
                 "praca", "pc", "largo", "via", "viela", "beco", "servidao", "quadra", "qd"}


@dataclass
class ParsedAddress:
    street: str = ""
    number: str = ""
    complement: str = ""
    district: str = ""
    city_name: str = ""
    city_code: str = ""
    uf: str = ""
    cep: str = ""
    problems: list[str] = field(default_factory=list)


def _get(raw: dict, *names: str) -> str:
    for name in names:
        value = raw.get(name) or raw.get(name[0].lower() + name[1:])
        if value:
            return str(value).strip()
    return ""


def _unwrap(raw: dict) -> dict:
    """Accept the address itself or the order/recipient objects that carry it."""
    for key in ("ShippingAddress", "shippingAddress", "deliveryAddress", "DeliveryAddress"):
        if isinstance(raw.get(key), dict):
            return _unwrap(raw[key])
    if isinstance(raw.get("recipient"), dict):
        return _unwrap(raw["recipient"])
    return raw or {}


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip(" ,-–;/")


def parse_address_line(line: str) -> tuple[str, str, str]:
    """'Rua X, 123 - Apto 4' -> ('Rua X', '123', 'Apto 4'); the number stays '' when the line has none."""
    line = _clean(line)
    for pattern in (_NO_NUMBER, _MARKED_NUMBER):
        if match := pattern.search(line):
            number = NO_NUMBER if pattern is _NO_NUMBER else match.group(1)
            return _clean(line[:match.start()]), number, _clean(line[match.end():])
    for pattern in (_COMMA_NUMBER, _TRAILING_NUMBER):
        match = pattern.match(line)
        if match and _looks_like_street(match.group("street")):
            return _clean(match.group("street")), match.group("number"), _clean(match.group("rest"))
    return line, "", ""


def _looks_like_street(text: str) -> bool:
    """'Rua 2' is a street name without a number: a street type alone is not a street."""
    words = name_key(text).split()
    if not words or words[-1] == "km":  # "Estrada X, km 10" locates the place; it is not a house number
        return False
    return not (len(words) == 1 and words[0] in _STREET_TYPES)


def _extended(raw: dict) -> dict:
    ext = raw.get("ExtendedFields") or raw.get("extendedFields") or {}
    return ext if isinstance(ext, dict) else {}


def _fill_street(parsed: ParsedAddress, raw: dict) -> None:
    ext = _extended(raw)
    lines = [_get(raw, f"AddressLine{i}") for i in (1, 2, 3)]
    lines = [line for line in lines if line]
    street, number, complement = parse_address_line(lines[0]) if lines else ("", "", "")
    parsed.street = _get(ext, "StreetName") or street
    parsed.number = _normalize_number(_get(ext, "StreetNumber")) or number
    parsed.complement = _get(ext, "Complement") or complement
    parsed.district = _get(ext, "Neighborhood") or _get(raw, "District", "DistrictOrCounty", "County")
    for extra in lines[1:]:
        _place_extra_line(parsed, extra)


def _normalize_number(value: str) -> str:
    return NO_NUMBER if value and _NO_NUMBER.search(f" {value} ") else value


_LEADING_NUMBER = re.compile(r"^(?:n[º°o]\.?\s*|n[uú]mero\s*)?(\d+[A-Za-z]?)\b(.*)$", re.IGNORECASE)


def _place_extra_line(parsed: ParsedAddress, line: str) -> None:
    """Line 2/3: a number the first line lacked, a complement (Apto, Bloco...), or the neighbourhood."""
    if not parsed.number:
        if match := _LEADING_NUMBER.match(_clean(line)):
            parsed.number, line = match.group(1), match.group(2)
        elif (match := _NO_NUMBER.search(line)) and not _clean(line[:match.start()]):
            parsed.number, line = NO_NUMBER, line[match.end():]
    line = _clean(line)
    if not line:
        return
    if _COMPLEMENT_START.match(line) or parsed.district:
        parsed.complement = _clean(f"{parsed.complement} {line}")
    else:
        parsed.district = line


def state_code(text: str) -> str:
    """'SP', 'sp', 'São Paulo', 'Estado de São Paulo' -> 'SP'; '' when not a Brazilian state."""
    key = name_key(text)
    if key.upper() in CEP_RANGES:
        return key.upper()
    key = re.sub(r"^estado (de|do|da) ", "", key)
    return STATE_NAMES.get(key, "")


def _fill_place(parsed: ParsedAddress, raw: dict) -> None:
    region = _get(raw, "StateOrRegion")
    parsed.uf = state_code(region)
    parsed.city_name = _get(raw, "City", "Municipality")
    if parsed.city_name and parsed.uf:
        parsed.city_code = municipality_code(parsed.city_name, parsed.uf) or ""
    cep = only_digits(_get(raw, "PostalCode"))
    if len(cep) == 7 and parsed.uf and cep_matches_uf(f"0{cep}", parsed.uf):
        cep = f"0{cep}"  # a spreadsheet ate the leading zero (São Paulo CEPs start with 0)
    parsed.cep = cep


def _problems(parsed: ParsedAddress, raw: dict) -> list[str]:
    checks = [
        ("street_missing", not parsed.street),
        ("number_missing", not parsed.number),
        ("district_missing", not parsed.district),
        ("city_missing", not parsed.city_name),
        ("uf_missing", not _get(raw, "StateOrRegion")),
        ("uf_unknown", bool(_get(raw, "StateOrRegion")) and not parsed.uf),
        ("city_unknown", bool(parsed.city_name and parsed.uf) and not parsed.city_code),
        ("cep_missing", not parsed.cep),
        ("cep_invalid", bool(parsed.cep) and len(parsed.cep) != 8),
        ("cep_uf_mismatch", len(parsed.cep) == 8 and bool(parsed.uf) and not cep_matches_uf(parsed.cep, parsed.uf)),
    ]
    return [code for code, failed in checks if failed]


def parse_amazon_address(raw: dict) -> ParsedAddress:
    """Parse an Amazon shipping address (v0 or 2026 shape); `problems` lists what the NF-e would lack."""
    raw = _unwrap(raw or {})
    parsed = ParsedAddress()
    _fill_street(parsed, raw)
    _fill_place(parsed, raw)
    parsed.problems = _problems(parsed, raw)
    return parsed
