"""What Amazon checks in an uploaded NF-e before and after accepting the upload.

Synchronous checks (400 on submit): the bytes are an authorised `nfeProc` (cStat 100 or
150) for this shipment's order. Asynchronous checks (status Errored later): issuer and
marketplace-intermediary CNPJs, as Amazon's validation would find them.
"""

from dataclasses import dataclass

from lxml import etree

NFE_NS = "http://www.portalfiscal.inf.br/nfe"
NS = {"n": NFE_NS}
AUTHORISED = {"100", "150"}  # 100 authorised, 150 authorised out of time


class InvoiceRejected(ValueError):
    pass


@dataclass(frozen=True)
class NFe:
    access_key: str
    issuer_cnpj: str
    intermediary_cnpj: str | None


def _text(tree, xpath: str) -> str | None:
    found = tree.xpath(xpath, namespaces=NS)
    return found[0].text.strip() if found and found[0].text else None


def read_authorised(xml: bytes, order_id: str) -> NFe:
    try:
        root = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise InvoiceRejected(f"InvoiceContent is not well-formed XML: {exc}") from exc
    if root.tag != f"{{{NFE_NS}}}nfeProc":
        raise InvoiceRejected("InvoiceContent must be an authorised NF-e (nfeProc with protNFe), "
                              f"got root element '{etree.QName(root).localname}'.")
    status = _text(root, "n:protNFe/n:infProt/n:cStat")
    if status not in AUTHORISED:
        raise InvoiceRejected(f"The NF-e is not authorised by SEFAZ (protNFe/infProt/cStat={status}); expected 100 or 150.")
    references = [_text(root, "n:NFe/n:infNFe/n:compra/n:xPed") or "", _text(root, "n:NFe/n:infNFe/n:infAdic/n:infCpl") or ""]
    if not any(order_id in ref for ref in references):
        raise InvoiceRejected(f"The NF-e does not reference Amazon order {order_id} in compra/xPed or infAdic/infCpl.")
    return NFe(
        access_key=_text(root, "n:protNFe/n:infProt/n:chNFe") or "",
        issuer_cnpj=_text(root, "n:NFe/n:infNFe/n:emit/n:CNPJ") or "",
        intermediary_cnpj=_text(root, "n:NFe/n:infNFe/n:infIntermed/n:CNPJ"),
    )


def validation_errors(nfe: NFe, *, seller_cnpj: str | None, marketplace_cnpj: str | None) -> list[str]:
    """Reasons Amazon's asynchronous validation would mark the invoice Errored."""
    errors = []
    if seller_cnpj and nfe.issuer_cnpj != seller_cnpj:
        errors.append(f"emit/CNPJ {nfe.issuer_cnpj} is not the seller's CNPJ {seller_cnpj}.")
    if marketplace_cnpj and nfe.intermediary_cnpj != marketplace_cnpj:
        errors.append(f"infIntermed/CNPJ {nfe.intermediary_cnpj} is not the marketplace's CNPJ {marketplace_cnpj}.")
    return errors
