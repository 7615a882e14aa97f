"""Validation rules, in the order SEFAZ applies them; each raises Rejection with the official cStat."""

from datetime import datetime, timedelta
from decimal import Decimal

from lxml import etree

from . import access_key, schemas, tables
from .codes import Rejection
from .replies import NFE, NS
from .signature import DS

HOMOLOGACAO_NAME = "NF-E EMITIDA EM AMBIENTE DE HOMOLOGACAO - SEM VALOR FISCAL"
EDIT_CHARACTERS = set("\r\n\t")


# --- the message as a whole -------------------------------------------------------------------------

def check_message(payload: etree._Element, schema_name: str, schema_cStat: int) -> None:
    """Namespace rules (404, 587), edit characters between tags (588), then the XSD (schema_cStat)."""
    for node in payload.iter():
        if not isinstance(node.tag, str):
            continue
        if node.prefix is not None:
            raise Rejection(404)
        if etree.QName(node).namespace not in (NFE, DS):
            raise Rejection(587)
    for node in payload.iter(tag=etree.Element):
        gaps = ([node.text] if len(node) else []) + ([node.tail] if node is not payload else [])
        if any(gap and not gap.strip() and EDIT_CHARACTERS & set(gap) for gap in gaps):
            raise Rejection(588)
    if schemas.errors(schema_name, payload):
        raise Rejection(schema_cStat)


# --- one NF-e ------------------------------------------------------------------------------------------

def text(node: etree._Element, path: str, default: str = "") -> str:
    found = node.find(path, NS)
    return found.text.strip() if found is not None and found.text else default


def amount(node: etree._Element, path: str) -> Decimal:
    return Decimal(text(node, path, "0"))


def total_of_items(inf: etree._Element, path: str) -> Decimal:
    return sum((Decimal(v.text) for v in inf.xpath(f"n:det/{path}", namespaces=NS) if v.text), Decimal(0))


def check_environment(inf: etree._Element) -> None:
    if text(inf, "n:ide/n:tpAmb") != "2":
        raise Rejection(252)


def check_access_key(inf: etree._Element) -> None:
    """236 for a wrong check digit, then 502 when the Id is not the concatenation of the fields."""
    key = inf.get("Id", "")[3:]
    if not access_key.is_valid(key) or text(inf, "n:ide/n:cDV") != key[-1]:
        raise Rejection(236)
    fields = access_key.from_fields(
        cUF=text(inf, "n:ide/n:cUF"), dhEmi=text(inf, "n:ide/n:dhEmi"),
        CNPJ=text(inf, "n:emit/n:CNPJ") or text(inf, "n:emit/n:CPF"), mod=text(inf, "n:ide/n:mod"),
        serie=text(inf, "n:ide/n:serie"), nNF=text(inf, "n:ide/n:nNF"), tpEmis=text(inf, "n:ide/n:tpEmis"),
        cNF=text(inf, "n:ide/n:cNF"),
    )
    if fields != key[:43]:
        raise Rejection(502)


# B09 dhEmi: SEFAZ tolerates a clock up to 5 minutes ahead of its own, and an NF-e issued up to 30 days ago
CLOCK_TOLERANCE = timedelta(minutes=5)
LATE_LIMIT = timedelta(days=30)


def check_dates(inf: etree._Element, received: datetime) -> None:
    """dhEmi after the receipt beyond the tolerance (703), or older than the 30-day window (228)."""
    issued = datetime.fromisoformat(text(inf, "n:ide/n:dhEmi"))
    if issued > received + CLOCK_TOLERANCE:
        raise Rejection(703)
    if issued < received - LATE_LIMIT:
        raise Rejection(228)


EXTERIOR_CMUN = "9999999"


def check_municipality(cMun: str, uf_code: str | None, *, invalid: int, other_uf: int) -> None:
    """`invalid` when IBGE has no such code (its check digit included), `other_uf` when it lies in another UF."""
    owner = tables.municipality_uf(cMun)
    if owner is None:
        raise Rejection(invalid)
    if owner != uf_code:
        raise Rejection(other_uf)


def check_emitter_municipalities(inf: etree._Element) -> None:
    """B12 cMunFG in the UF of cUF (270, 271), then C10 enderEmit/cMun in enderEmit/UF (272, 273)."""
    check_municipality(text(inf, "n:ide/n:cMunFG"), text(inf, "n:ide/n:cUF"), invalid=270, other_uf=271)
    check_municipality(text(inf, "n:emit/n:enderEmit/n:cMun"), tables.uf_code(text(inf, "n:emit/n:enderEmit/n:UF")),
                       invalid=272, other_uf=273)


def check_recipient_municipality(inf: etree._Element) -> None:
    """E10 enderDest/cMun: 9999999 abroad (509), else in enderDest/UF (274, 275)."""
    address = inf.find("n:dest/n:enderDest", NS)
    if address is None:
        return
    cMun, uf = text(address, "n:cMun"), text(address, "n:UF")
    if uf == "EX":
        if cMun != EXTERIOR_CMUN:
            raise Rejection(509)
        return
    check_municipality(cMun, tables.uf_code(uf), invalid=274, other_uf=275)


def check_recipient_document(inf: etree._Element) -> None:
    """E02 CNPJ (208) or E03 CPF (237): check digits, and not all zeros. An empty CNPJ (abroad) is left alone."""
    cnpj, cpf = text(inf, "n:dest/n:CNPJ"), text(inf, "n:dest/n:CPF")
    if cnpj and not _valid_cnpj(cnpj):
        raise Rejection(208)
    if cpf and not _valid_cpf(cpf):
        raise Rejection(237)


def _valid_cnpj(cnpj: str) -> bool:
    """Mod 11, weights 2..9 from the right over ord(c) - 48, so alphanumeric CNPJs (NT 2025.001) count too."""
    def digit(body: str) -> str:
        remainder = sum((ord(c) - 48) * (2 + i % 8) for i, c in enumerate(reversed(body))) % 11
        return str(0 if remainder < 2 else 11 - remainder)
    first = digit(cnpj[:12])
    return len(cnpj) == 14 and set(cnpj) != {"0"} and first + digit(cnpj[:12] + first) == cnpj[12:]


def _valid_cpf(cpf: str) -> bool:
    def digit(body: str) -> str:
        return str(sum(int(c) * w for c, w in zip(body, range(len(body) + 1, 1, -1))) * 10 % 11 % 10)
    return len(cpf) == 11 and cpf.isdigit() and set(cpf) != {"0"} and digit(cpf[:9]) + digit(cpf[:10]) == cpf[9:]


def check_homologacao_name(inf: etree._Element) -> None:
    if inf.find("n:dest", NS) is not None and text(inf, "n:dest/n:xNome") != HOMOLOGACAO_NAME:
        raise Rejection(598)


def check_final_consumer(inf: etree._Element) -> None:
    """Interstate sale to a non-contributor: final consumer (696), and DIFAL group when taxed (694)."""
    if text(inf, "n:ide/n:idDest") != "2" or text(inf, "n:dest/n:indIEDest") != "9":
        return
    if text(inf, "n:ide/n:indFinal") != "1":
        raise Rejection(696)
    for det in inf.iterfind("n:det", NS):
        taxed = det.xpath("n:imposto/n:ICMS/*[n:vICMS > 0 or n:CST = '00' or n:CST = '20']", namespaces=NS)
        if taxed and det.find("n:imposto/n:ICMSUFDest", NS) is None:
            raise Rejection(694, nItem=det.get("nItem"))


def check_ncm(inf: etree._Element, issued: datetime) -> None:
    for ncm in inf.xpath("n:det/n:prod/n:NCM/text()", namespaces=NS):
        if ncm == "00":  # services and goods without NCM
            continue
        if len(ncm) != 8:
            raise Rejection(777)
        if not tables.ncm_in_force(ncm[:2], issued.date()):
            raise Rejection(793)
        if not tables.ncm_in_force(ncm, issued.date()):
            raise Rejection(778)


# ICMS situations that carry substitution (ST): CST and, for Simples Nacional, CSOSN
ST_CST = {"10", "30", "60", "70"}
ST_CSOSN = {"201", "202", "203", "500"}


def check_cest(inf: etree._Element) -> None:
    for det in inf.iterfind("n:det", NS):
        icms = det.find("n:imposto/n:ICMS/*", NS)
        if icms is None or det.find("n:prod/n:CEST", NS) is not None:
            continue
        cst, csosn = text(icms, "n:CST"), text(icms, "n:CSOSN")
        with_st = cst in ST_CST or csosn in ST_CSOSN or (cst == "90" and icms.find("n:vBCST", NS) is not None)
        if with_st:
            raise Rejection(806)


# ICMSTot field -> (path summed over det, cStat when they differ). vProd only counts items with indTot=1.
TOTALS = (
    ("vBC", "n:imposto/n:ICMS/*/n:vBC", 531),
    ("vICMS", "n:imposto/n:ICMS/*/n:vICMS", 532),
    ("vBCST", "n:imposto/n:ICMS/*/n:vBCST", 533),
    ("vST", "n:imposto/n:ICMS/*/n:vICMSST", 534),
    ("vFCPUFDest", "n:imposto/n:ICMSUFDest/n:vFCPUFDest", 798),
    ("vICMSUFDest", "n:imposto/n:ICMSUFDest/n:vICMSUFDest", 799),
    ("vICMSUFRemet", "n:imposto/n:ICMSUFDest/n:vICMSUFRemet", 800),
    ("vProd", "n:prod[n:indTot = '1']/n:vProd", 564),
    ("vFrete", "n:prod/n:vFrete", 535),
    ("vSeg", "n:prod/n:vSeg", 536),
    ("vDesc", "n:prod/n:vDesc", 537),
    ("vII", "n:imposto/n:II/n:vII", 601),
    ("vIPI", "n:imposto/n:IPI/n:IPITrib/n:vIPI", 538),
    ("vPIS", "n:imposto/n:PIS/*/n:vPIS", 602),
    ("vCOFINS", "n:imposto/n:COFINS/*/n:vCOFINS", 603),
    ("vOutro", "n:prod/n:vOutro", 604),
)
VNF_PLUS = ("vProd", "vST", "vFrete", "vSeg", "vOutro", "vII", "vIPI", "vIPIDevol", "vFCPST")
VNF_MINUS = ("vDesc", "vICMSDeson")


def check_totals(inf: etree._Element) -> None:
    tot = inf.find("n:total/n:ICMSTot", NS)
    for field, path, cStat in TOTALS:
        if tot.find(f"n:{field}", NS) is not None and amount(tot, f"n:{field}") != total_of_items(inf, path):
            raise Rejection(cStat)
    expected = sum(amount(tot, f"n:{f}") for f in VNF_PLUS) - sum(amount(tot, f"n:{f}") for f in VNF_MINUS)
    if amount(tot, "n:vNF") != expected:
        raise Rejection(610)


def check_content(inf: etree._Element, received: datetime) -> None:
    """The content rules after signature and certificates, in SEFAZ's order (received: the sandbox clock)."""
    check_access_key(inf)
    check_dates(inf, received)
    check_emitter_municipalities(inf)
    check_recipient_document(inf)
    check_homologacao_name(inf)
    check_recipient_municipality(inf)
    check_final_consumer(inf)
    check_ncm(inf, datetime.fromisoformat(text(inf, "n:ide/n:dhEmi")))
    check_cest(inf)
    check_totals(inf)
