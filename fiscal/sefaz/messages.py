"""The request payloads of the six services, built with lxml (NF-e namespace, default prefix, no whitespace).

SEFAZ rejects a `ns:` prefix (404), a foreign namespace (587) and edit characters between tags (588),
so every element is built in the default NF-e namespace and serialized without indentation.
"""

from datetime import datetime

from lxml import etree
from lxml.builder import ElementMaker

from .xml import NFE, SOAP12

WSDL = "http://www.portalfiscal.inf.br/nfe/wsdl/"
N = ElementMaker(namespace=NFE, nsmap={None: NFE})
CANCELLATION, CORRECTION = "110111", "110110"
# The CC-e's conditions of use, verbatim as the MOC (NT 2011/004) requires in xCondUso.
CONDICOES_DE_USO = (
    "A Carta de Correcao e disciplinada pelo paragrafo 1o-A do art. 7o do Convenio S/N, de 15 de dezembro de 1970 "
    "e pode ser utilizada para regularizacao de erro ocorrido na emissao de documento fiscal, desde que o erro nao "
    "esteja relacionado com: I - as variaveis que determinam o valor do imposto tais como: base de calculo, "
    "aliquota, diferenca de preco, quantidade, valor da operacao ou da prestacao; II - a correcao de dados "
    "cadastrais que implique mudanca do remetente ou do destinatario; III - a data de emissao ou de saida."
)


def soap_envelope(operation: str, payload: etree._Element) -> bytes:
    root = etree.Element(f"{{{SOAP12}}}Envelope", nsmap={"soap12": SOAP12})
    body = etree.SubElement(root, f"{{{SOAP12}}}Body")
    message = etree.SubElement(body, f"{{{WSDL}{operation}}}nfeDadosMsg", nsmap={None: f"{WSDL}{operation}"})
    message.append(payload)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def enviNFe(nfe: etree._Element, *, lot_id: str, sync: bool) -> etree._Element:
    return N.enviNFe(N.idLote(lot_id), N.indSinc("1" if sync else "0"), nfe, versao="4.00")


def consReciNFe(*, environment: int, receipt: str) -> etree._Element:
    return N.consReciNFe(N.tpAmb(str(environment)), N.nRec(receipt), versao="4.00")


def consSitNFe(*, environment: int, access_key: str) -> etree._Element:
    return N.consSitNFe(N.tpAmb(str(environment)), N.xServ("CONSULTAR"), N.chNFe(access_key), versao="4.00")


def consStatServ(*, environment: int, cuf: str) -> etree._Element:
    return N.consStatServ(N.tpAmb(str(environment)), N.cUF(cuf), N.xServ("STATUS"), versao="4.00")


def evento(*, kind: str, environment: int, cnpj: str, access_key: str, seq: int, when: datetime,
           details: list[etree._Element]) -> etree._Element:
    """An unsigned <evento>; cOrgao is the UF in the key (the authorizer of the NF-e)."""
    description = {CANCELLATION: "Cancelamento", CORRECTION: "Carta de Correcao"}[kind]
    inf = N.infEvento(
        N.cOrgao(access_key[:2]), N.tpAmb(str(environment)), N.CNPJ(cnpj), N.chNFe(access_key),
        N.dhEvento(when.isoformat(timespec="seconds")), N.tpEvento(kind), N.nSeqEvento(str(seq)),
        N.verEvento("1.00"), N.detEvento(N.descEvento(description), *details, versao="1.00"),
        Id=f"ID{kind}{access_key}{seq:02d}",
    )
    return N.evento(inf, versao="1.00")


def cancellation_details(*, protocol: str, reason: str) -> list[etree._Element]:
    return [N.nProt(protocol), N.xJust(reason)]


def correction_details(*, text: str) -> list[etree._Element]:
    return [N.xCorrecao(text), N.xCondUso(CONDICOES_DE_USO)]


def envEvento(signed_evento: etree._Element, *, lot_id: str) -> etree._Element:
    return N.envEvento(N.idLote(lot_id), signed_evento, versao="1.00")


def inutNFe(*, environment: int, cuf: str, year: int, cnpj: str, series: int, first: int, last: int,
            reason: str) -> etree._Element:
    """An unsigned <inutNFe>; Id = ID + cUF + AA + CNPJ + mod + série(3) + nNFIni(9) + nNFFin(9)."""
    yy = f"{year % 100:02d}"
    inf = N.infInut(
        N.tpAmb(str(environment)), N.xServ("INUTILIZAR"), N.cUF(cuf), N.ano(yy), N.CNPJ(cnpj), N.mod("55"),
        N.serie(str(series)), N.nNFIni(str(first)), N.nNFFin(str(last)), N.xJust(reason),
        Id=f"ID{cuf}{yy}{cnpj}55{series:03d}{first:09d}{last:09d}",
    )
    return N.inutNFe(inf, versao="4.00")


def proc(tag: str, version: str, *children: etree._Element) -> etree._Element:
    """nfeProc / procEventoNFe / procInutNFe: the signed document and SEFAZ's answer side by side."""
    return N(tag, *children, versao=version)
