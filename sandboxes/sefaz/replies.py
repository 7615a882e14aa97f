"""Reply elements in the NF-e namespace, field order as the official response XSDs give it."""

from lxml import etree

NFE = "http://www.portalfiscal.inf.br/nfe"
NS = {"n": NFE}
VER_APLIC = "SANDBOX-SVRS-4.00"


def element(tag: str, *children: etree._Element | None, **attributes: str) -> etree._Element:
    node = etree.Element(f"{{{NFE}}}{tag}", nsmap={None: NFE}, **attributes)
    node.extend(c for c in children if c is not None)
    return node


def leaf(tag: str, text: object | None) -> etree._Element | None:
    """A text element, or None (left out) when the value is absent."""
    if text is None:
        return None
    node = etree.Element(f"{{{NFE}}}{tag}")
    node.text = str(text)
    return node


def status_fields(cStat: int, xMotivo: str) -> list:
    return [leaf("tpAmb", 2), leaf("verAplic", VER_APLIC), leaf("cStat", cStat), leaf("xMotivo", xMotivo)]


def protNFe(*, chNFe: str, dhRecbto: str, cStat: int, xMotivo: str, nProt: str | None = None, digVal: str | None = None):
    inf = element(
        "infProt",
        leaf("tpAmb", 2), leaf("verAplic", VER_APLIC), leaf("chNFe", chNFe), leaf("dhRecbto", dhRecbto),
        leaf("nProt", nProt), leaf("digVal", digVal), leaf("cStat", cStat), leaf("xMotivo", xMotivo),
    )
    if nProt:
        inf.set("Id", f"ID{nProt}")
    return element("protNFe", inf, versao="4.00")
