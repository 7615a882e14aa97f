"""NFeAutorizacao4 (enviNFe) and NFeRetAutorizacao4 (consReciNFe)."""

from cryptography import x509
from lxml import etree

from . import certificates, checks, signature
from .codes import Rejection, xMotivo
from .context import Context
from .ledger import Authorized
from .replies import NFE, NS, element, leaf, protNFe, status_fields

MAX_NFE_PER_LOT = 50
T_MED = 1  # seconds the client should wait before asking for the receipt


def nfeAutorizacaoLote(ctx: Context, enviNFe: etree._Element, client_certificate: x509.Certificate | None):
    """retEnviNFe: lot-level rejection, 103 with nRec (indSinc=0) or 104 with protNFe (indSinc=1)."""
    cUF = _first_cUF(enviNFe)
    try:
        checks.check_message(enviNFe, "enviNFe", 225)
        documents = enviNFe.findall("n:NFe", NS)
        if checks.text(enviNFe, "n:indSinc") == "1" and len(documents) > 1:
            raise Rejection(764)
        transmitter_cnpj = _check_transmitter(ctx, client_certificate)
    except Rejection as rejection:
        return retEnviNFe(ctx, cUF, rejection.cStat, rejection.xMotivo)
    protocols = [authorize_one(ctx, nfe, transmitter_cnpj) for nfe in documents]
    if checks.text(enviNFe, "n:indSinc") == "1":
        return retEnviNFe(ctx, cUF, 104, xMotivo(104), *protocols)
    nRec = f"{cUF}{ctx.ledger.next_number('nRec'):013d}"
    bundle = b"".join(etree.tostring(p) for p in protocols)
    ctx.ledger.record_receipt(nRec, ctx.timestamp() + ctx.receipt_delay, cUF, bundle)
    return retEnviNFe(ctx, cUF, 103, xMotivo(103), element("infRec", leaf("nRec", nRec), leaf("tMed", T_MED)))


def retEnviNFe(ctx: Context, cUF: str, cStat: int, motivo: str, *tail: etree._Element):
    head = [*status_fields(cStat, motivo), leaf("cUF", cUF), leaf("dhRecbto", ctx.dh())]
    return element("retEnviNFe", *head, *tail, versao="4.00")


def authorize_one(ctx: Context, nfe: etree._Element, transmitter_cnpj: str | None) -> etree._Element:
    """protNFe for one NF-e: 100 and recorded, or the first rule it breaks."""
    inf = nfe.find("n:infNFe", NS)
    chNFe, dhRecbto, digVal = inf.get("Id", "")[3:], ctx.dh(), None
    try:
        checks.check_environment(inf)
        verified = signature.verify(inf)
        digVal = verified.digest_value
        _check_signer(ctx, inf, verified.certificate, transmitter_cnpj)
        checks.check_content(inf, received=ctx.now())
        nProt, nRec = _record(ctx, inf, chNFe, digVal, dhRecbto)
    except Rejection as rejection:
        return protNFe(chNFe=chNFe, dhRecbto=dhRecbto, cStat=rejection.cStat, xMotivo=rejection.xMotivo, digVal=digVal)
    return protNFe(chNFe=chNFe, dhRecbto=dhRecbto, cStat=100, xMotivo=xMotivo(100), nProt=nProt, digVal=digVal)


def _check_transmitter(ctx: Context, certificate: x509.Certificate | None) -> str | None:
    """Mutual TLS: the transmitter's certificate must be valid now (281) and carry a CNPJ (282)."""
    if certificate is None:
        return None
    return certificates.check(certificate, at=ctx.now(), expired=281, no_cnpj=282)


def _check_signer(ctx: Context, inf: etree._Element, certificate: x509.Certificate, transmitter_cnpj: str | None):
    """The signing certificate: valid at receipt (291), with a CNPJ (292) whose root is the emitter's (213).

    The sandbox also holds the TLS transmitter to the emitter's CNPJ root (213), stricter than SEFAZ
    when an accountant transmits: the product always transmits with the seller's own certificate.
    """
    signer_cnpj = certificates.check(certificate, at=ctx.now(), expired=291, no_cnpj=292)
    emitter_root = checks.text(inf, "n:emit/n:CNPJ")[:8]
    if signer_cnpj[:8] != emitter_root or (transmitter_cnpj and transmitter_cnpj[:8] != emitter_root):
        raise Rejection(213)


def _record(ctx: Context, inf: etree._Element, chNFe: str, digVal: str, dhRecbto: str) -> tuple[str, str]:
    """Duplicates (204 same key, 539 same number other key), then record; under the ledger lock."""
    CNPJ, mod = checks.text(inf, "n:emit/n:CNPJ"), checks.text(inf, "n:ide/n:mod")
    serie, nNF = int(checks.text(inf, "n:ide/n:serie")), int(checks.text(inf, "n:ide/n:nNF"))
    with ctx.ledger.atomic():
        if same := ctx.ledger.by_key(chNFe):
            raise Rejection(204, nRec=same.nRec, nProt=same.nProt, dhAut=same.dhRecbto)
        if other := ctx.ledger.by_number(CNPJ, mod, serie, nNF):
            raise Rejection(539, chNFe=other.chNFe, nRec=other.nRec)
        cUF = checks.text(inf, "n:ide/n:cUF")
        nProt = f"1{cUF}{dhRecbto[2:4]}{ctx.ledger.next_number('nProt'):010d}"
        nRec = f"{cUF}{ctx.ledger.next_number('nRec'):013d}"
        ctx.ledger.record_authorization(
            Authorized(chNFe, CNPJ, mod, serie, nNF, nProt, nRec, digVal, dhRecbto, ctx.timestamp())
        )
    return nProt, nRec


def _first_cUF(enviNFe: etree._Element) -> str:
    found = enviNFe.findtext(f"{{{NFE}}}NFe/{{{NFE}}}infNFe/{{{NFE}}}ide/{{{NFE}}}cUF")
    return found if found and found.isdigit() and len(found) == 2 else "43"


def nfeRetAutorizacaoLote(ctx: Context, consReciNFe: etree._Element):
    """retConsReciNFe: 106 unknown receipt, 105 still processing, 104 with the protNFe of each NF-e."""
    nRec = checks.text(consReciNFe, "n:nRec")
    try:
        checks.check_message(consReciNFe, "consReciNFe", 215)
        if checks.text(consReciNFe, "n:tpAmb") != "2":
            raise Rejection(252)
    except Rejection as rejection:
        return retConsReciNFe(ctx, nRec or "0" * 15, "43", rejection.cStat, rejection.xMotivo)
    receipt = ctx.ledger.receipt(nRec)
    if receipt is None:
        return retConsReciNFe(ctx, nRec, nRec[:2], 106, xMotivo(106))
    if receipt["ready_at"] > ctx.timestamp():
        return retConsReciNFe(ctx, nRec, receipt["cUF"], 105, xMotivo(105))
    protocols = etree.fromstring(b"<x xmlns='%s'>%s</x>" % (NFE.encode(), receipt["protNFe"]))
    return retConsReciNFe(ctx, nRec, receipt["cUF"], 104, xMotivo(104), *protocols)


def retConsReciNFe(ctx: Context, nRec: str, cUF: str, cStat: int, motivo: str, *protocols: etree._Element):
    return element(
        "retConsReciNFe", leaf("tpAmb", 2), leaf("verAplic", "SANDBOX-SVRS-4.00"), leaf("nRec", nRec),
        leaf("cStat", cStat), leaf("xMotivo", motivo), leaf("cUF", cUF), leaf("dhRecbto", ctx.dh()), *protocols,
        versao="4.00",
    )
