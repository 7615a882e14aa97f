"""Test data: an authorized invoice for an imported order, with real-looking nfeProc bytes."""

from django.utils import timezone
from lxml import etree
from lxml.builder import ElementMaker

from fiscal.models import Invoice, InvoiceStatus

NFE_NS = "http://www.portalfiscal.inf.br/nfe"
E = ElementMaker(namespace=NFE_NS, nsmap={None: NFE_NS})
MARKETPLACE_CNPJ = "15436940000103"


def nfe_proc(order, *, number: int, intermediary: str = MARKETPLACE_CNPJ) -> tuple[str, bytes]:
    key = f"35{timezone.now():%y%m}{order.seller.cnpj}55001{number:09d}1{number:08d}"
    key += str(sum(int(c) for c in key) % 10)
    inf = E.infNFe(
        E.ide(E.cUF("35"), E.natOp("Venda de mercadoria"), E.mod("55"), E.serie("1"), E.nNF(str(number))),
        E.emit(E.CNPJ(order.seller.cnpj), E.xNome(order.seller.legal_name)),
        E.dest(E.CPF(order.buyer_document or "12345678909"), E.xNome(order.buyer_name or "Consumidor")),
        E.infIntermed(E.CNPJ(intermediary), E.idCadIntTran("Amazon")),
        E.compra(E.xPed(order.amazon_order_id)),
        E.infAdic(E.infCpl(f"Pedido Amazon {order.amazon_order_id}")),
        Id=f"NFe{key}", versao="4.00",
    )
    prot = E.protNFe(E.infProt(E.tpAmb("2"), E.chNFe(key), E.nProt("135260000000001"), E.cStat("100"),
                               E.xMotivo("Autorizado o uso da NF-e")), versao="4.00")
    root = E.nfeProc(E.NFe(inf), prot, versao="4.00")
    return key, etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def authorized_invoice(order, *, number: int = 1, intermediary: str = MARKETPLACE_CNPJ) -> Invoice:
    key, xml = nfe_proc(order, number=number, intermediary=intermediary)
    return Invoice.objects.create(
        seller=order.seller, order=order, environment=2, series=1, number=number, access_key=key, cnf=key[35:43],
        issued_at=timezone.now(), status=InvoiceStatus.AUTHORIZED, signed_xml=xml, digest_value="x",
        authorized_xml=xml, protocol="135260000000001", authorized_at=timezone.now(),
    )
