"""SOAP 1.2 envelopes as SVRS speaks them: nfeDadosMsg in, nfeResultMsg out, in the WSDL namespace."""

from lxml import etree

SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
WSDL = "http://www.portalfiscal.inf.br/nfe/wsdl/"
CONTENT_TYPE = "application/soap+xml; charset=utf-8"

# Paths as in sped-nfe's wsnfe_4.00_mod55.xml for SVRS homologação; IIS matches them case-insensitively.
PATHS = {
    "/ws/nfeautorizacao/nfeautorizacao4.asmx": "NFeAutorizacao4",
    "/ws/nferetautorizacao/nferetautorizacao4.asmx": "NFeRetAutorizacao4",
    "/ws/nfeconsulta/nfeconsulta4.asmx": "NFeConsultaProtocolo4",
    "/ws/nfestatusservico/nfestatusservico4.asmx": "NFeStatusServico4",
    "/ws/recepcaoevento/recepcaoevento4.asmx": "NFeRecepcaoEvento4",
    "/ws/nfeinutilizacao/nfeinutilizacao4.asmx": "NFeInutilizacao4",
}

# a hostile envelope (DOCTYPE, entities, external DTD) must never reach the checks
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_blank_text=False)


class SoapError(Exception):
    """The envelope itself is unusable: answered with a SOAP Fault, as IIS/WCF does."""


def operation_for(path: str) -> str | None:
    return PATHS.get(path.rstrip("/").lower())


def parse_request(body: bytes, operation: str) -> etree._Element:
    """The one element inside nfeDadosMsg, after checking the envelope and the WSDL namespace."""
    try:
        root = etree.fromstring(body, PARSER)
    except etree.XMLSyntaxError as error:
        raise SoapError(f"Malformed XML: {error}") from None
    if root.getroottree().docinfo.doctype:
        raise SoapError("DTD is prohibited in this XML document")
    if root.tag != f"{{{SOAP12}}}Envelope":
        raise SoapError("The envelope is not SOAP 1.2")
    message = root.find(f"{{{SOAP12}}}Body/{{{WSDL}{operation}}}nfeDadosMsg")
    if message is None:
        raise SoapError(f"Body must hold nfeDadosMsg in namespace {WSDL}{operation}")
    children = [c for c in message if isinstance(c.tag, str)]
    if len(children) != 1:
        raise SoapError("nfeDadosMsg must hold exactly one element")
    return children[0]


def envelope(operation: str, reply: etree._Element) -> bytes:
    root = etree.Element(f"{{{SOAP12}}}Envelope", nsmap={"soap": SOAP12})
    body = etree.SubElement(root, f"{{{SOAP12}}}Body")
    result = etree.SubElement(body, f"{{{WSDL}{operation}}}nfeResultMsg", nsmap={None: f"{WSDL}{operation}"})
    result.append(reply)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def fault(reason: str, *, code: str = "Receiver") -> bytes:
    root = etree.Element(f"{{{SOAP12}}}Envelope", nsmap={"soap": SOAP12})
    f = etree.SubElement(etree.SubElement(root, f"{{{SOAP12}}}Body"), f"{{{SOAP12}}}Fault")
    etree.SubElement(etree.SubElement(f, f"{{{SOAP12}}}Code"), f"{{{SOAP12}}}Value").text = f"soap:{code}"
    text = etree.SubElement(etree.SubElement(f, f"{{{SOAP12}}}Reason"), f"{{{SOAP12}}}Text")
    text.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
    text.text = reason
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def wsdl(operation: str, location: str) -> bytes:
    """A minimal WSDL: enough for a client generator to find the one operation and its address."""
    ns = f"{WSDL}{operation}"
    return f"""<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/" xmlns:tns="{ns}" xmlns:s="http://www.w3.org/2001/XMLSchema" targetNamespace="{ns}">
<wsdl:types><s:schema elementFormDefault="qualified" targetNamespace="{ns}"><s:element name="nfeDadosMsg"><s:complexType mixed="true"><s:sequence><s:any/></s:sequence></s:complexType></s:element><s:element name="nfeResultMsg"><s:complexType mixed="true"><s:sequence><s:any/></s:sequence></s:complexType></s:element></s:schema></wsdl:types>
<wsdl:message name="In"><wsdl:part name="nfeDadosMsg" element="tns:nfeDadosMsg"/></wsdl:message>
<wsdl:message name="Out"><wsdl:part name="nfeResultMsg" element="tns:nfeResultMsg"/></wsdl:message>
<wsdl:portType name="{operation}Soap12"><wsdl:operation name="{_method(operation)}"><wsdl:input message="tns:In"/><wsdl:output message="tns:Out"/></wsdl:operation></wsdl:portType>
<wsdl:binding name="{operation}Soap12" type="tns:{operation}Soap12"><soap12:binding transport="http://schemas.xmlsoap.org/soap/http"/><wsdl:operation name="{_method(operation)}"><soap12:operation soapAction="{ns}/{_method(operation)}" style="document"/><wsdl:input><soap12:body use="literal"/></wsdl:input><wsdl:output><soap12:body use="literal"/></wsdl:output></wsdl:operation></wsdl:binding>
<wsdl:service name="{operation}"><wsdl:port name="{operation}Soap12" binding="tns:{operation}Soap12"><soap12:address location="{location}"/></wsdl:port></wsdl:service>
</wsdl:definitions>""".encode()


def _method(operation: str) -> str:
    return {
        "NFeAutorizacao4": "nfeAutorizacaoLote",
        "NFeRetAutorizacao4": "nfeRetAutorizacaoLote",
        "NFeConsultaProtocolo4": "nfeConsultaNF",
        "NFeStatusServico4": "nfeStatusServicoNF",
        "NFeRecepcaoEvento4": "nfeRecepcaoEvento",
        "NFeInutilizacao4": "nfeInutilizacaoNF",
    }[operation]
