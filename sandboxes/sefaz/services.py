"""The six web services: how each answers a request, and how it says a bare cStat (108, 109, 656)."""

from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from . import authorization, events, queries, voiding
from .codes import xMotivo
from .context import Context
from .replies import NS


@dataclass(frozen=True)
class Service:
    answer: Callable  # (ctx, payload[, client_certificate]) -> reply element
    bare: Callable[[Context, etree._Element, int], etree._Element]  # the same reply carrying only a cStat
    takes_certificate: bool = False


def _text(payload: etree._Element, path: str, default: str = "") -> str:
    return payload.findtext(path, default=default, namespaces=NS) or default


SERVICES = {
    "NFeAutorizacao4": Service(
        authorization.nfeAutorizacaoLote,
        lambda ctx, p, c: authorization.retEnviNFe(ctx, authorization._first_cUF(p), c, xMotivo(c)),
        takes_certificate=True,
    ),
    "NFeRetAutorizacao4": Service(
        authorization.nfeRetAutorizacaoLote,
        lambda ctx, p, c: authorization.retConsReciNFe(ctx, _text(p, "n:nRec", "0" * 15), "43", c, xMotivo(c)),
    ),
    "NFeConsultaProtocolo4": Service(
        queries.nfeConsultaNF, lambda ctx, p, c: queries.retConsSitNFe(ctx, _text(p, "n:chNFe"), c, xMotivo(c))
    ),
    "NFeStatusServico4": Service(
        queries.nfeStatusServicoNF, lambda ctx, p, c: queries.retConsStatServ(ctx, _text(p, "n:cUF"), c, xMotivo(c))
    ),
    "NFeRecepcaoEvento4": Service(events.nfeRecepcaoEvento, lambda ctx, p, c: events.retEnvEvento(p, c, xMotivo(c))),
    "NFeInutilizacao4": Service(
        voiding.nfeInutilizacaoNF, lambda ctx, p, c: voiding.retInutNFe(ctx, p.find("n:infInut", NS), c, xMotivo(c))
    ),
}
