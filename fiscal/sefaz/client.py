"""SefazClient: the six NF-e 4.00 services of one seller's authorizer, over mutual TLS.

Requests are built with lxml (fiscal.sefaz.messages), the NF-e itself is the stored signed bytes,
replies are parsed with the hardened parser into the dataclasses of fiscal.sefaz.replies.
The client never retries: whether a second call is safe is the caller's decision (fiscal.issuing).
"""

import secrets
from collections.abc import Callable
from datetime import datetime

from lxml import etree

from . import messages
from .. import circuit
from .authorizers import authorizer_for, service_url
from .replies import (
    AuthorizationReply, EventReply, Exchange, LookupReply, SefazError, SefazUnknownOutcome, StatusReply, VoidReply,
    protocol_from, result_element, text,
)
from .transport import SoapTransport, TransportFailure, client_tls_context
from .xml import NS, UnsafeXml, parse

# (xml of the parent element, reference tag) -> the same xml with the enveloped Signature appended
Signer = Callable[[bytes, str], bytes]
UF_CODES = {
    "RO": "11", "AC": "12", "AM": "13", "RR": "14", "PA": "15", "AP": "16", "TO": "17", "MA": "21", "PI": "22",
    "CE": "23", "RN": "24", "PB": "25", "PE": "26", "AL": "27", "SE": "28", "BA": "29", "MG": "31", "ES": "32",
    "RJ": "33", "SP": "35", "PR": "41", "SC": "42", "RS": "43", "MS": "50", "MT": "51", "GO": "52", "DF": "53",
}


class SefazClient:
    def __init__(self, *, uf: str, environment: int, cnpj: str, transport: SoapTransport,
                 signer: Signer | None = None, contingency: bool = False):
        self.uf, self.cuf, self.environment, self.cnpj = uf, UF_CODES[uf], environment, cnpj
        self.transport, self.signer, self.contingency = transport, signer, contingency

    @classmethod
    def for_seller(cls, seller, *, certificate=None, timeout: float | None = None) -> "SefazClient":
        """A client with the seller's active certificate for TLS and for signing events."""
        from sellers.certificates import load_pfx

        certificate = certificate or seller.active_certificate
        if certificate is None:
            raise SefazError("the seller has no active A1 certificate", retryable=False)
        key, cert, chain = load_pfx(certificate.pfx.reveal(), certificate.password.reveal())
        transport = SoapTransport(client_tls_context(key, cert, chain), timeout=timeout)
        return cls(uf=seller.uf, environment=seller.nfe_environment, cnpj=seller.cnpj, transport=transport,
                   signer=_engine_signer(certificate))

    # --- the services -------------------------------------------------------------------------------------
    def authorize(self, signed_nfe_xml: bytes, *, sync: bool = True) -> AuthorizationReply:
        """NFeAutorizacao4 with a lot of one. Raises SefazUnknownOutcome when the answer is unusable."""
        try:
            nfe = parse(signed_nfe_xml)
        except UnsafeXml as error:
            raise SefazError(f"our own signed XML is unreadable: {error}", retryable=False) from None
        payload = messages.enviNFe(nfe, lot_id=_lot_id(), sync=sync)
        found, exchange = self._call("NFeAutorizacao4", payload, "retEnviNFe")
        return AuthorizationReply(text(found, "n:cStat"), text(found, "n:xMotivo"), text(found, "n:infRec/n:nRec"),
                                  protocol_from(found.find("n:protNFe", NS)), exchange)

    def receipt(self, nrec: str) -> AuthorizationReply:
        """NFeRetAutorizacao4: the outcome of an asynchronous lot (105 still processing)."""
        payload = messages.consReciNFe(environment=self.environment, receipt=nrec)
        found, exchange = self._call("NFeRetAutorizacao4", payload, "retConsReciNFe")
        return AuthorizationReply(text(found, "n:cStat"), text(found, "n:xMotivo"), nrec,
                                  protocol_from(found.find("n:protNFe", NS)), exchange)

    def lookup(self, access_key: str) -> LookupReply:
        """NFeConsultaProtocolo4: 100/150 (101 cancelled) with protNFe, 217 unknown key."""
        payload = messages.consSitNFe(environment=self.environment, access_key=access_key)
        found, exchange = self._call("NFeConsultaProtocolo4", payload, "retConsSitNFe")
        procs = [etree.tostring(p) for p in found.findall("n:procEventoNFe", NS)]
        return LookupReply(text(found, "n:cStat"), text(found, "n:xMotivo"),
                           protocol_from(found.find("n:protNFe", NS)), procs, exchange)

    def status(self) -> StatusReply:
        """NFeStatusServico4: 107 in operation, 108/109 paralysed."""
        payload = messages.consStatServ(environment=self.environment, cuf=self.cuf)
        found, exchange = self._call("NFeStatusServico4", payload, "retConsStatServ")
        return StatusReply(text(found, "n:cStat"), text(found, "n:xMotivo"), text(found, "n:tMed"), exchange)

    def cancel(self, *, access_key: str, protocol: str, reason: str, when: datetime, seq: int = 1) -> EventReply:
        """Event 110111; reason (xJust) 15-255 characters."""
        details = messages.cancellation_details(protocol=protocol, reason=reason)
        return self._event(messages.CANCELLATION, access_key, seq, when, details)

    def correction_letter(self, *, access_key: str, text: str, when: datetime, seq: int) -> EventReply:
        """Event 110110 (CC-e); each new letter has the next seq and replaces the previous ones."""
        return self._event(messages.CORRECTION, access_key, seq, when, messages.correction_details(text=text))

    def void_range(self, *, series: int, first: int, last: int, reason: str, year: int) -> VoidReply:
        """NFeInutilizacao4: 102 voided; 563/206/256 and friends mean the range is already void."""
        unsigned = messages.inutNFe(environment=self.environment, cuf=self.cuf, year=year, cnpj=self.cnpj,
                                    series=series, first=first, last=last, reason=reason)
        signed = self._sign(unsigned, "infInut")
        found, exchange = self._call("NFeInutilizacao4", signed, "retInutNFe")
        inf = found.find("n:infInut", NS)
        return VoidReply(text(inf, "n:cStat"), text(inf, "n:xMotivo"), text(inf, "n:nProt"), found, exchange)

    # --- plumbing -----------------------------------------------------------------------------------------
    def _event(self, kind: str, access_key: str, seq: int, when: datetime, details) -> EventReply:
        unsigned = messages.evento(kind=kind, environment=self.environment, cnpj=self.cnpj, access_key=access_key,
                                   seq=seq, when=when, details=details)
        signed = self._sign(unsigned, "infEvento")
        found, exchange = self._call("NFeRecepcaoEvento4", messages.envEvento(signed, lot_id=_lot_id()),
                                     "retEnvEvento")
        ret = found.find("n:retEvento", NS)
        inf = ret.find("n:infEvento", NS) if ret is not None else None
        return EventReply(text(found, "n:cStat"), text(found, "n:xMotivo"), text(inf, "n:cStat"),
                          text(inf, "n:xMotivo"), text(inf, "n:nProt"), text(inf, "n:dhRegEvento"), ret, exchange,
                          )

    def _sign(self, element: etree._Element, reference_tag: str) -> etree._Element:
        if self.signer is None:
            raise SefazError("this client has no signer for events", retryable=False)
        return parse(self.signer(etree.tostring(element, encoding="utf-8"), reference_tag))

    def _call(self, operation: str, payload: etree._Element, expected: str) -> tuple[etree._Element, Exchange]:
        envelope = messages.soap_envelope(operation, payload)
        url = service_url(self.uf, self.environment, operation, contingency=self.contingency)
        key = circuit.circuit_key(authorizer_for(self.uf, contingency=self.contingency), self.environment)
        if until := circuit.open_until(key):
            # Not sent at all: the caller backs off exactly as for a refused connection.
            raise SefazError(f"{operation}: authorizer {key} unavailable until {until:%H:%M:%S}", retryable=True)
        try:
            reply = self.transport.post(url, envelope, action=f"{messages.WSDL}{operation}")
            found = result_element(reply, operation, expected, envelope)
        except TransportFailure as failure:
            circuit.record_failure(key, str(failure))
            if failure.sent:
                raise SefazUnknownOutcome(f"{operation}: {failure}", request=envelope) from None
            raise SefazError(f"{operation}: {failure}", retryable=True, request=envelope) from None
        except SefazUnknownOutcome as unusable:  # HTML page, truncated or fault: the service is sick too
            circuit.record_failure(key, unusable.message)
            raise
        circuit.record_success(key)
        return found, Exchange(envelope, reply.body)


def _lot_id() -> str:
    return str(secrets.randbelow(10**15 - 1) + 1)


def _engine_signer(certificate) -> Signer:
    def sign(xml: bytes, reference_tag: str) -> bytes:
        from fiscal.nfe.signing import sign_xml, signing_key_for  # the NF-e engine's one signer

        signed = sign_xml(xml, reference_tag=reference_tag, key=signing_key_for(certificate)).xml
        return signed.encode("utf-8") if isinstance(signed, str) else signed

    return sign
