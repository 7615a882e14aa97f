"""cStat texts, from sped-nfe's copy of the official list (data/cstat.json).

Replies take their xMotivo from here so the sandbox speaks the words SEFAZ speaks.
"""

import json
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"

# sped-nfe's file mixes its own help text into these; these are the MOC (Anexo I) texts.
MOC_TEXTS = {
    "694": "Rejeição: Não informado o grupo de ICMS para a UF de destino [nItem:{nItem}]",
    "696": "Rejeição: Operação com não contribuinte deve indicar operação com consumidor final",
    "806": "Rejeição: Operação com ICMS-ST sem informação do CEST",
    # the file's curly quotes fall outside TString's Latin-1 pattern: a reply carrying them fails its own XSD
    "509": 'Rejeição: Informado código de município diferente de "9999999" para operação com o exterior',
    # the listed text carries a placeholder; SEFAZ fills in the receipt and the protocol of the original
    "204": "Rejeição: Duplicidade de NF-e [nRec:{nRec}][nProt:{nProt}][dhAut:{dhAut}]",
    "539": "Rejeição: Duplicidade de NF-e com diferença na Chave de Acesso [chNFe: {chNFe}][nRec:{nRec}]",
}


@cache
def _texts() -> dict[str, str]:
    rows = json.loads((DATA / "cstat.json").read_text(encoding="utf-8"))
    return {row["cod"]: (row["msg"] or "").strip() for row in rows}


def xMotivo(cStat: int | str, **details: str) -> str:
    """The official text for cStat, with bracketed details filled in when the text has placeholders."""
    code = str(cStat)
    text = MOC_TEXTS.get(code) or _texts()[code]
    text = text.format(**details) if details else text
    return text[:255]  # TMotivo: at most 255 characters


class Rejection(Exception):
    """A check failed: carries the cStat and its official text."""

    def __init__(self, cStat: int, **details: str):
        self.cStat = cStat
        self.xMotivo = xMotivo(cStat, **details)
        super().__init__(f"{cStat} {self.xMotivo}")
