"""NFeRecepcaoEvento4 (envEvento): cancellation (110111) and carta de correção (110110)."""

import copy

from lxml import etree

from . import certificates, checks, signature
from .codes import Rejection, xMotivo
from .context import Context
from .replies import NS, VER_APLIC, element, leaf

CANCELLATION, CORRECTION = "110111", "110110"
X_EVENTO = {CANCELLATION: "Cancelamento registrado", CORRECTION: "Carta de Correção registrada"}
CANCEL_WINDOW = 24 * 3600  # seconds after authorization (Ajuste SINIEF 07/05, as SVRS applies it)
C_ORGAO = "43"


def nfeRecepcaoEvento(ctx: Context, envEvento: etree._Element):
    """retEnvEvento: 128 with one retEvento per event, or a lot-level rejection."""
    kind = envEvento.findtext("n:evento/n:infEvento/n:tpEvento", namespaces=NS)
    try:
        if kind not in X_EVENTO:
            raise Rejection(215)
        checks.check_message(envEvento, f"envEvento:{kind}", 215)
    except Rejection as rejection:
        return retEnvEvento(envEvento, rejection.cStat, rejection.xMotivo)
    results = [register(ctx, evento) for evento in envEvento.iterfind("n:evento", NS)]
    return retEnvEvento(envEvento, 128, xMotivo(128), *results)


def retEnvEvento(envEvento: etree._Element, cStat: int, motivo: str, *results: etree._Element):
    idLote = checks.text(envEvento, "n:idLote") or "0"
    return element(
        "retEnvEvento", leaf("idLote", idLote), leaf("tpAmb", 2), leaf("verAplic", VER_APLIC), leaf("cOrgao", C_ORGAO),
        leaf("cStat", cStat), leaf("xMotivo", motivo), *results, versao="1.00",
    )


def register(ctx: Context, evento: etree._Element) -> etree._Element:
    """retEvento: 135 and recorded, or the first rule the event breaks."""
    inf = evento.find("n:infEvento", NS)
    chNFe, kind, seq = checks.text(inf, "n:chNFe"), checks.text(inf, "n:tpEvento"), int(checks.text(inf, "n:nSeqEvento"))
    try:
        if checks.text(inf, "n:tpAmb") != "2":
            raise Rejection(252)
        verified = signature.verify(inf)
        certificates.check(verified.certificate, at=ctx.now(), expired=291, no_cnpj=292)
        with ctx.ledger.atomic():
            _check_against_ledger(ctx, inf, chNFe, kind, seq)
            dh = ctx.dh()
            nProt = f"1{C_ORGAO}{dh[2:4]}{ctx.ledger.next_number('nProt'):010d}"
            ok = retEvento(inf, 135, xMotivo(135), dhRegEvento=dh, nProt=nProt)
            proc = element("procEventoNFe", copy.deepcopy(evento), ok, versao="1.00")
            ctx.ledger.record_event(chNFe, kind, seq, nProt, dh, etree.tostring(proc))
            return retEvento(inf, 135, xMotivo(135), dhRegEvento=dh, nProt=nProt)
    except Rejection as rejection:
        return retEvento(inf, rejection.cStat, rejection.xMotivo, dhRegEvento=ctx.dh())


def _check_against_ledger(ctx: Context, inf: etree._Element, chNFe: str, kind: str, seq: int) -> None:
    authorized = ctx.ledger.by_key(chNFe)
    if authorized is None:
        raise Rejection(494)
    if checks.text(inf, "n:CNPJ")[:8] != authorized.CNPJ[:8]:
        raise Rejection(574)
    events = ctx.ledger.events(chNFe)
    if any(e["tpEvento"] == kind and e["nSeqEvento"] == seq for e in events):
        raise Rejection(573)
    if any(e["tpEvento"] == CANCELLATION for e in events):
        raise Rejection(580)  # a cancelled NF-e takes no more events
    if kind == CANCELLATION:
        if checks.text(inf, "n:detEvento/n:nProt") != authorized.nProt:
            raise Rejection(222)
        if ctx.timestamp() - authorized.authorized_at > CANCEL_WINDOW:
            raise Rejection(501)


def retEvento(inf: etree._Element, cStat: int, motivo: str, *, dhRegEvento: str, nProt: str | None = None):
    registered = cStat == 135
    body = element(
        "infEvento", leaf("tpAmb", 2), leaf("verAplic", VER_APLIC), leaf("cOrgao", C_ORGAO), leaf("cStat", cStat),
        leaf("xMotivo", motivo), leaf("chNFe", checks.text(inf, "n:chNFe") or None),
        leaf("tpEvento", checks.text(inf, "n:tpEvento") if registered else None),
        leaf("xEvento", X_EVENTO.get(checks.text(inf, "n:tpEvento")) if registered else None),
        leaf("nSeqEvento", checks.text(inf, "n:nSeqEvento") if registered else None),
        leaf("dhRegEvento", dhRegEvento), leaf("nProt", nProt),
    )
    return element("retEvento", body, versao="1.00")
