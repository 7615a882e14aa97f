"""A hardened parser for everything SEFAZ sends back.

lxml resolves internal entities by default and `recover=True` would turn a truncated
`<cStat>100` into a plausible tree; neither is acceptable on a reply that decides whether
an NF-e exists. So: no DTD, no entities, no network, a size cap, DOCTYPE refused, never recover.
"""

from lxml import etree

MAX_BYTES = 2 * 1024 * 1024  # a retConsSitNFe with every event is ~20 KB; 2 MB is generous
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
NFE = "http://www.portalfiscal.inf.br/nfe"
NS = {"n": NFE, "soap": SOAP12}


class UnsafeXml(ValueError):
    """The bytes are not XML we will read: too big, malformed, truncated, or carrying a DTD."""


def _parser() -> etree.XMLParser:
    # A new parser per call: lxml parsers are not safe to share between threads.
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=False, recover=False, remove_comments=True, remove_pis=True,
    )


def parse(data: bytes) -> etree._Element:
    """The root element, or UnsafeXml."""
    if not data:
        raise UnsafeXml("empty document")
    if len(data) > MAX_BYTES:
        raise UnsafeXml(f"document of {len(data)} bytes exceeds the {MAX_BYTES}-byte cap")
    if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data.upper():
        raise UnsafeXml("DOCTYPE or ENTITY declarations are refused")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        raise UnsafeXml(f"malformed XML: {error}") from None
    if root.getroottree().docinfo.doctype:
        raise UnsafeXml("DOCTYPE declarations are refused")
    return root
