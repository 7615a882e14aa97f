"""SEFAZ's answers as small dataclasses, and the one place that decides a reply is unusable.

Anything that is not a well-formed SOAP 1.2 envelope holding the expected result with a cStat
(an HTML error page, a SOAP Fault, a truncated body) raises SefazUnknownOutcome: SEFAZ may or
may not have acted on the request, and only a later lookup can tell.
"""

import copy
from dataclasses import dataclass, field

from lxml import etree

from .transport import HttpReply
from .xml import NFE, NS, SOAP12, UnsafeXml, parse

RAW_LIMIT = 200_000  # characters of a raw reply kept with the invoice's history


class SefazError(Exception):
    """SEFAZ could not be asked or did not answer usefully; `retryable` says whether trying later helps."""

    def __init__(self, message: str, *, retryable: bool, request: bytes = b"", response: bytes = b""):
        super().__init__(message)
        self.message, self.retryable = message, retryable
        self.request, self.response = request, response


class SefazUnknownOutcome(SefazError):
    """The request was (or may have been) received, but what SEFAZ did with it is unknown."""

    def __init__(self, message: str, *, request: bytes = b"", response: bytes = b""):
        super().__init__(message, retryable=True, request=request, response=response)


@dataclass(frozen=True)
class Exchange:
    request: bytes
    response: bytes

    def as_text(self) -> tuple[str, str]:
        return (self.request.decode("utf-8", "replace")[:RAW_LIMIT], self.response.decode("utf-8", "replace")[:RAW_LIMIT])


@dataclass(frozen=True)
class Protocol:
    """protNFe/infProt: SEFAZ's verdict on one NF-e."""

    cstat: str
    xmotivo: str
    access_key: str
    nprot: str
    digval: str
    received_at: str
    element: etree._Element = field(repr=False, compare=False)


@dataclass(frozen=True)
class AuthorizationReply:
    cstat: str  # the lot's cStat: 103 received (async), 104 processed, or a lot-level rejection
    xmotivo: str
    receipt: str
    protocol: Protocol | None
    exchange: Exchange = field(repr=False, compare=False)


@dataclass(frozen=True)
class LookupReply:
    cstat: str
    xmotivo: str
    protocol: Protocol | None
    event_procs: list[bytes]
    exchange: Exchange = field(repr=False, compare=False)


@dataclass(frozen=True)
class StatusReply:
    cstat: str
    xmotivo: str
    average_seconds: str
    exchange: Exchange = field(repr=False, compare=False)


@dataclass(frozen=True)
class EventReply:
    cstat: str  # the lot's (128) or a lot-level rejection
    xmotivo: str
    event_cstat: str  # 135 registered, 573 duplicate, ...
    event_xmotivo: str
    nprot: str
    registered_at: str
    ret_evento: etree._Element | None = field(repr=False, compare=False)
    exchange: Exchange | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class VoidReply:
    cstat: str
    xmotivo: str
    nprot: str
    ret_inut: etree._Element = field(repr=False, compare=False)
    exchange: Exchange | None = field(default=None, repr=False, compare=False)


def result_element(reply: HttpReply, operation: str, expected: str, request: bytes) -> etree._Element:
    """The <expected> element inside nfeResultMsg, or SefazUnknownOutcome."""
    def unknown(why: str) -> SefazUnknownOutcome:
        return SefazUnknownOutcome(f"{operation}: {why}", request=request, response=reply.body)

    try:
        root = parse(reply.body)
    except UnsafeXml as error:
        raise unknown(f"HTTP {reply.status}, unreadable reply ({error})") from None
    if root.find("soap:Body/soap:Fault", NS) is not None:
        reason = root.findtext("soap:Body/soap:Fault/soap:Reason/soap:Text", default="", namespaces=NS)
        raise unknown(f"SOAP Fault: {reason[:200]}")
    found = root.find(f"{{{SOAP12}}}Body/*/{{{NFE}}}{expected}")
    if root.tag != f"{{{SOAP12}}}Envelope" or found is None or reply.status != 200:
        raise unknown(f"HTTP {reply.status}, no {expected} in the reply")
    if not found.findtext("n:cStat", namespaces=NS) and found.find("n:infInut", NS) is None \
            and found.find("n:infProt", NS) is None:
        raise unknown(f"{expected} without cStat")
    return found


def text(node: etree._Element | None, path: str) -> str:
    if node is None:
        return ""
    return (node.findtext(path, default="", namespaces=NS) or "").strip()


def protocol_from(prot: etree._Element | None) -> Protocol | None:
    if prot is None:
        return None
    inf = prot.find("n:infProt", NS)
    return Protocol(
        cstat=text(inf, "n:cStat"), xmotivo=text(inf, "n:xMotivo"), access_key=text(inf, "n:chNFe"),
        nprot=text(inf, "n:nProt"), digval=text(inf, "n:digVal"), received_at=text(inf, "n:dhRecbto"),
        element=copy.deepcopy(prot),
    )
