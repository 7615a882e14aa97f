"""NFeConsultaProtocolo4 (consSitNFe) and NFeStatusServico4 (consStatServ)."""

from lxml import etree

from . import checks
from .codes import Rejection, xMotivo
from .context import Context
from .replies import element, leaf, protNFe, status_fields

CANCELLATION = "110111"


def nfeConsultaNF(ctx: Context, consSitNFe: etree._Element):
    """100 (or 101 when cancelled) with protNFe and procEventoNFe, 217 unknown, 656 over the lookup limit."""
    chNFe = checks.text(consSitNFe, "n:chNFe")
    try:
        checks.check_message(consSitNFe, "consSitNFe", 215)
        if checks.text(consSitNFe, "n:tpAmb") != "2":
            raise Rejection(252)
        if ctx.too_many_lookups(chNFe):
            raise Rejection(656)
    except Rejection as rejection:
        return retConsSitNFe(ctx, chNFe, rejection.cStat, rejection.xMotivo)
    row = ctx.ledger.by_key(chNFe)
    if row is None:
        return retConsSitNFe(ctx, chNFe, 217, xMotivo(217))
    events = ctx.ledger.events(chNFe)
    cancelled = any(e["tpEvento"] == CANCELLATION for e in events)
    prot = protNFe(chNFe=chNFe, dhRecbto=row.dhRecbto, cStat=100, xMotivo=xMotivo(100), nProt=row.nProt, digVal=row.digVal)
    procs = [etree.fromstring(e["procEventoNFe"]) for e in events]
    cStat = 101 if cancelled else 100
    return retConsSitNFe(ctx, chNFe, cStat, xMotivo(cStat), prot, *procs)


def retConsSitNFe(ctx: Context, chNFe: str, cStat: int, motivo: str, *tail: etree._Element):
    cUF = chNFe[:2] if chNFe[:2].isdigit() else "43"
    head = [*status_fields(cStat, motivo), leaf("cUF", cUF), leaf("dhRecbto", ctx.dh()), leaf("chNFe", chNFe)]
    return element("retConsSitNFe", *head, *tail, versao="4.00")


def nfeStatusServicoNF(ctx: Context, consStatServ: etree._Element):
    cUF = checks.text(consStatServ, "n:cUF") or "43"
    try:
        checks.check_message(consStatServ, "consStatServ", 215)
        if checks.text(consStatServ, "n:tpAmb") != "2":
            raise Rejection(252)
    except Rejection as rejection:
        return retConsStatServ(ctx, cUF, rejection.cStat, rejection.xMotivo)
    return retConsStatServ(ctx, cUF, 107, xMotivo(107))


def retConsStatServ(ctx: Context, cUF: str, cStat: int, motivo: str):
    cUF = cUF if cUF.isdigit() and len(cUF) == 2 else "43"
    return element(
        "retConsStatServ", *status_fields(cStat, motivo), leaf("cUF", cUF), leaf("dhRecbto", ctx.dh()),
        leaf("tMed", 1), versao="4.00",
    )
