"""NFeInutilizacao4 (inutNFe): voiding a range of unused numbers."""

from lxml import etree

from . import certificates, checks, signature
from .codes import Rejection, xMotivo
from .context import Context
from .replies import NS, VER_APLIC, element, leaf


def nfeInutilizacaoNF(ctx: Context, inutNFe: etree._Element):
    """retInutNFe: 102 and recorded; 241 a number in the range was used; 563 same range; 256 overlapping."""
    inf = inutNFe.find("n:infInut", NS)
    try:
        checks.check_message(inutNFe, "inutNFe", 215)
        if checks.text(inf, "n:tpAmb") != "2":
            raise Rejection(252)
        verified = signature.verify(inf)
        signer = certificates.check(verified.certificate, at=ctx.now(), expired=291, no_cnpj=292)
        if signer[:8] != checks.text(inf, "n:CNPJ")[:8]:
            raise Rejection(213)
        nProt, dh = _record(ctx, inf)
    except Rejection as rejection:
        return retInutNFe(ctx, inf, rejection.cStat, rejection.xMotivo)
    return retInutNFe(ctx, inf, 102, xMotivo(102), nProt=nProt, dhRecbto=dh)


def _record(ctx: Context, inf: etree._Element) -> tuple[str, str]:
    CNPJ, mod, serie = checks.text(inf, "n:CNPJ"), checks.text(inf, "n:mod"), int(checks.text(inf, "n:serie"))
    first, last = int(checks.text(inf, "n:nNFIni")), int(checks.text(inf, "n:nNFFin"))
    with ctx.ledger.atomic():
        if ctx.ledger.authorized_in_range(CNPJ, mod, serie, first, last):
            raise Rejection(241)
        overlapping = ctx.ledger.voided_overlapping(CNPJ, mod, serie, first, last)
        if any(r["nNFIni"] == first and r["nNFFin"] == last for r in overlapping):
            raise Rejection(563)
        if overlapping:
            raise Rejection(256)
        dh = ctx.dh()
        nProt = f"1{checks.text(inf, 'n:cUF')}{dh[2:4]}{ctx.ledger.next_number('nProt'):010d}"
        ctx.ledger.record_voided(CNPJ, mod, serie, first, last, nProt, dh)
    return nProt, dh


def retInutNFe(ctx: Context, inf: etree._Element | None, cStat: int, motivo: str, *, nProt=None, dhRecbto=None):
    def field(tag: str) -> etree._Element | None:
        return leaf(tag, checks.text(inf, f"n:{tag}") or None) if inf is not None and nProt else None

    cUF = checks.text(inf, "n:cUF") if inf is not None else ""
    body = element(
        "infInut", leaf("tpAmb", 2), leaf("verAplic", VER_APLIC), leaf("cStat", cStat), leaf("xMotivo", motivo),
        leaf("cUF", cUF if cUF.isdigit() and len(cUF) == 2 else "43"),
        *(field(t) for t in ("ano", "CNPJ", "mod", "serie", "nNFIni", "nNFFin")),
        leaf("dhRecbto", dhRecbto or ctx.dh()), leaf("nProt", nProt),
    )
    if nProt:
        body.set("Id", f"ID{nProt}")
    return element("retInutNFe", body, versao="4.00")
