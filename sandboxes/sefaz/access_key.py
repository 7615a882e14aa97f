"""The 44-character access key (chave de acesso) and its mod-11 check digit."""


def check_digit(first_43: str) -> int:
    """Mod 11 with weights 2..9 from the right over ord(c) - 48 (alphanumeric CNPJ aware)."""
    total = sum((ord(c) - 48) * (2 + i % 8) for i, c in enumerate(reversed(first_43)))
    remainder = total % 11
    return 0 if remainder < 2 else 11 - remainder


def from_fields(*, cUF: str, dhEmi: str, CNPJ: str, mod: str, serie: str, nNF: str, tpEmis: str, cNF: str) -> str:
    """The first 43 characters as the ide/emit fields spell them (AAMM taken from dhEmi)."""
    aamm = dhEmi[2:4] + dhEmi[5:7]
    return f"{cUF}{aamm}{CNPJ.zfill(14)}{mod}{int(serie):03d}{int(nNF):09d}{tpEmis}{int(cNF):08d}"


def is_valid(key: str) -> bool:
    return len(key) == 44 and key[-1].isdigit() and check_digit(key[:43]) == int(key[-1])
