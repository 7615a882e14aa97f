"""Faults on demand: the next N calls of a service (or of every service) misbehave in a chosen way."""

import threading
from dataclasses import dataclass

# mode -> what the client sees
MODES = {
    "delay": "sleeps `seconds` then answers normally",
    "accept_then_hang": "processes and records the request, then holds the connection without answering",
    "html_500": "an IIS-style HTML error page with HTTP 500",
    "html_503": "an IIS-style HTML 'Service Unavailable' page with HTTP 503",
    "truncate": "HTTP 200 whose SOAP reply is cut in the middle of a tag",
    "soap_fault": "HTTP 500 with a SOAP 1.2 Fault",
    "paralysed": "the service's own reply with cStat 108",
    "paralysed_no_return": "the service's own reply with cStat 109",
    "consumo_indevido": "the service's own reply with cStat 656",
}
# faults that SEFAZ expresses as a cStat in an otherwise normal reply
CSTAT_FAULTS = {"paralysed": 108, "paralysed_no_return": 109, "consumo_indevido": 656}
SERVICES = {
    "NFeAutorizacao4", "NFeRetAutorizacao4", "NFeConsultaProtocolo4",
    "NFeStatusServico4", "NFeRecepcaoEvento4", "NFeInutilizacao4", "*",
}


@dataclass
class Fault:
    mode: str
    count: int | None = 1  # None: until cleared
    seconds: float = 0.0
    service: str = "*"


class FaultBook:
    def __init__(self):
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> None:
        if fault.mode not in MODES:
            raise ValueError(f"unknown mode {fault.mode!r}; known: {sorted(MODES)}")
        if fault.service not in SERVICES:
            raise ValueError(f"unknown service {fault.service!r}; known: {sorted(SERVICES)}")
        with self._lock:
            self._faults.append(fault)

    def take(self, service: str) -> Fault | None:
        """The first fault that applies to this call, spending one of its count."""
        with self._lock:
            for fault in self._faults:
                if fault.service in (service, "*"):
                    if fault.count is not None:
                        fault.count -= 1
                        if fault.count <= 0:
                            self._faults.remove(fault)
                    return fault
        return None

    def pending(self) -> list[dict]:
        with self._lock:
            return [f.__dict__.copy() for f in self._faults]

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
