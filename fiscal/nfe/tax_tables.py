"""The tax rules as data: which ICMS group each CST/CSOSN uses, the interstate rates, the PIS/COFINS/IPI
groups, the per-UF defaults and the legal texts. The engine in `taxes.py` only reads these tables.
"""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class IcmsBehaviour:
    group: str  # the nfelib field of det/imposto/ICMS (ICMS00, ICMSSN102, ...)
    own: bool = False  # the emitter's own ICMS is computed (vBC, pICMS, vICMS)
    st: bool = False  # ICMS-ST is charged on this sale (vBCST, pICMSST, vICMSST)
    st_retained: bool = False  # ST already paid earlier in the chain (CST 60 / CSOSN 500)
    credit: bool = False  # Simples credit transferable to the buyer (pCredSN, vCredICMSSN)
    reduction: bool = False  # base reduction from the tax group (pRedBC)


ICMS_BEHAVIOUR: dict[str, IcmsBehaviour] = {
    # Regime normal (CRT 3)
    "00": IcmsBehaviour("ICMS00", own=True),
    "10": IcmsBehaviour("ICMS10", own=True, st=True),
    "20": IcmsBehaviour("ICMS20", own=True, reduction=True),
    "40": IcmsBehaviour("ICMS40"),
    "41": IcmsBehaviour("ICMS40"),
    "60": IcmsBehaviour("ICMS60", st_retained=True),
    "90": IcmsBehaviour("ICMS90", own=True),
    # Simples Nacional (CRT 1, 2, 4): CSOSN
    "101": IcmsBehaviour("ICMSSN101", credit=True),
    "102": IcmsBehaviour("ICMSSN102"),
    "103": IcmsBehaviour("ICMSSN102"),
    "300": IcmsBehaviour("ICMSSN102"),
    "400": IcmsBehaviour("ICMSSN102"),
    "201": IcmsBehaviour("ICMSSN201", st=True, credit=True),
    "202": IcmsBehaviour("ICMSSN202", st=True),
    "203": IcmsBehaviour("ICMSSN202", st=True),
    "500": IcmsBehaviour("ICMSSN500", st_retained=True),
    "900": IcmsBehaviour("ICMSSN900"),
}
SIMPLES_CODES = frozenset(code for code in ICMS_BEHAVIOUR if len(code) == 3)
NORMAL_CODES = frozenset(code for code in ICMS_BEHAVIOUR if len(code) == 2)

# Res. Senado 13/2012: 4% on interstate sales of imported goods (origins 1, 2, 3, 8).
IMPORTED_ORIGINS = frozenset({1, 2, 3, 8})
IMPORTED_INTERSTATE_RATE = Decimal("4")
# Res. Senado 22/1989: from the South and Southeast (except ES) to the North, Northeast, Centre-West and ES
# the rate is 7%; every other interstate route is 12%.
SOUTH_SOUTHEAST_EXCEPT_ES = frozenset({"SP", "RJ", "MG", "PR", "SC", "RS"})
ROUTE_RATES: dict[tuple[bool, bool], Decimal] = {
    # (origin in S/SE except ES, destination in S/SE except ES) -> rate
    (True, False): Decimal("7"),
    (True, True): Decimal("12"),
    (False, True): Decimal("12"),
    (False, False): Decimal("12"),
}

# PIS and COFINS: the CST picks the XML group (Aliq, NT or Outr).
PIS_COFINS_GROUP: dict[str, str] = {
    "01": "Aliq", "02": "Aliq",
    **{cst: "NT" for cst in ("04", "05", "06", "07", "08", "09")},
    **{cst: "Outr" for cst in ("49", "50", "51", "52", "53", "54", "55", "56", "60", "61", "62", "63", "64",
                               "65", "66", "67", "70", "71", "72", "73", "74", "75", "98", "99")},
}
# IPI: taxed CSTs carry base, rate and value (IPITrib); the others only the CST (IPINT).
IPI_TAXED_CSTS = frozenset({"00", "49", "50", "99"})

# IBS/CBS in 2026 (LC 214/2025 art. 343, NT 2025.002): test rates, offset against PIS/COFINS.
CBS_TEST_RATE = Decimal("0.9")
IBS_UF_TEST_RATE = Decimal("0.1")
IBS_MUN_TEST_RATE = Decimal("0")

# Internal ICMS rate and general FCP per UF (percent) as published by the states up to 2025, for the
# StateTaxRate loader. FCP is charged on specific goods in most states (0 here); staff edit both in the admin.
DEFAULT_STATE_RATES: dict[str, tuple[Decimal, Decimal]] = {
    uf: (Decimal(internal), Decimal(fcp))
    for uf, internal, fcp in (
        ("AC", "19", "0"), ("AL", "19", "1"), ("AM", "20", "0"), ("AP", "18", "0"), ("BA", "20.5", "0"),
        ("CE", "20", "0"), ("DF", "20", "0"), ("ES", "17", "0"), ("GO", "19", "0"), ("MA", "23", "0"),
        ("MG", "18", "0"), ("MS", "17", "0"), ("MT", "17", "0"), ("PA", "19", "0"), ("PB", "20", "0"),
        ("PE", "20.5", "0"), ("PI", "22.5", "0"), ("PR", "19.5", "0"), ("RJ", "20", "2"), ("RN", "20", "0"),
        ("RO", "19.5", "0"), ("RR", "20", "0"), ("RS", "17", "0"), ("SC", "17", "0"), ("SE", "19", "1"),
        ("SP", "18", "0"), ("TO", "20", "0"),
    )
}

# infCpl texts required by the regime (LC 123/2006 art. 23; Res. CGSN 140/2018 art. 59).
SIMPLES_TEXTS = (
    "DOCUMENTO EMITIDO POR ME OU EPP OPTANTE PELO SIMPLES NACIONAL",
    "NAO GERA DIREITO A CREDITO FISCAL DE IPI",
)
SIMPLES_CREDIT_TEXT = (
    "PERMITE O APROVEITAMENTO DO CREDITO DE ICMS NO VALOR DE R$ {value} CORRESPONDENTE A ALIQUOTA DE "
    "{rate}%, NOS TERMOS DO ART. 23 DA LC 123/2006"
)
DIFAL_TEXT = "ICMS DIFAL (EC 87/2015, LC 190/2022) DEVIDO A UF DE DESTINO: R$ {icms}; FCP: R$ {fcp}"
TOTAL_TAX_TEXT = "Val Aprox Tributos R$ {value} - Fonte: impostos calculados nesta nota (Lei 12.741/2012)"
