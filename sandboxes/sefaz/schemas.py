"""The official XSDs bundled with nfelib, compiled once per process."""

from functools import cache
from pathlib import Path

import nfelib
from lxml import etree

NFELIB = Path(nfelib.__file__).parent
NFE_V4 = NFELIB / "nfe" / "schemas" / "v4_0"
EVENTS = NFELIB / "nfe_evento_generico" / "schemas" / "v1_0"
CANCEL = NFELIB / "nfe_evento_cancel" / "schemas" / "v1_0"
CCE = NFELIB / "nfe_evento_cce" / "schemas" / "v1_0"

FILES = {
    "enviNFe": NFE_V4 / "enviNFe_v4.00.xsd",
    "consReciNFe": NFE_V4 / "consReciNFe_v4.00.xsd",
    "consSitNFe": NFE_V4 / "consSitNFe_v4.00.xsd",
    "consStatServ": NFE_V4 / "consStatServ_v4.00.xsd",
    "inutNFe": NFE_V4 / "inutNFe_v4.00.xsd",
    "envEvento:110111": CANCEL / "envEventoCancNFe_v1.00.xsd",
    "envEvento:110110": CCE / "envCCe_v1.00.xsd",
    # replies: used by the tests to hold the sandbox to the official layout
    "retEnviNFe": NFE_V4 / "retEnviNFe_v4.00.xsd",
    "retConsReciNFe": NFE_V4 / "retConsReciNFe_v4.00.xsd",
    "retConsSitNFe": NFE_V4 / "retConsSitNFe_v4.00.xsd",
    "retConsStatServ": NFE_V4 / "retConsStatServ_v4.00.xsd",
    "retInutNFe": NFE_V4 / "retInutNFe_v4.00.xsd",
    "retEnvEvento": EVENTS / "retEnvEvento_v1.00.xsd",
}


@cache
def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(FILES[name])))


def errors(name: str, element: etree._Element) -> list[str]:
    """Schema errors of a standalone copy of element (empty when valid)."""
    checker = schema(name)
    if checker.validate(etree.ElementTree(standalone(element))):
        return []
    return [str(e) for e in checker.error_log]


def standalone(element: etree._Element) -> etree._Element:
    """A copy of element as its own document, carrying only the namespaces it uses.

    Inclusive C14N and schema checks must not see the SOAP envelope's declarations: the sender signed
    the NF-e as a document of its own.
    """
    copy = etree.fromstring(etree.tostring(element))
    etree.cleanup_namespaces(copy)
    return copy
