"""The HTTP(S) server: SOAP services at SVRS's paths, and a JSON control API under /_sandbox/."""

import json
import select
import ssl
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from cryptography import x509

from . import soap
from .context import Context
from .faults import CSTAT_FAULTS, Fault
from .ledger import Ledger
from .services import SERVICES

MAX_BODY = 1_000_000  # SEFAZ refuses lots above 500 KB (214); a little headroom for the envelope
HANG_LIMIT = 600  # accept_then_hang never holds a connection longer than this
IIS_500 = b"""<!DOCTYPE html><html><head><title>Runtime Error</title></head><body><h1>Server Error in '/' Application.</h1><h2><i>Runtime Error</i></h2></body></html>"""
IIS_503 = b"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN"><HTML><HEAD><TITLE>Service Unavailable</TITLE></HEAD><BODY><h2>Service Unavailable</h2><hr><p>HTTP Error 503. The service is unavailable.</p></BODY></HTML>"""


@dataclass(frozen=True)
class TlsConfig:
    cert: str  # server certificate (PEM)
    key: str  # its private key (PEM)
    client_ca: str  # CA bundle the client certificates must chain to


class Handler(BaseHTTPRequestHandler):
    server: "SandboxServer"
    protocol_version = "HTTP/1.1"
    server_version = "Microsoft-IIS/10.0"  # what SVRS announces
    sys_version = ""

    def setup(self):
        if isinstance(self.request, ssl.SSLSocket):
            self.request.settimeout(15)
            self.request.do_handshake()  # here, in the request thread, so a slow client blocks nobody
            self.request.settimeout(None)
        super().setup()

    def log_message(self, format, *args):  # noqa: A002 - quiet by default; the CLI turns it on
        if self.server.verbose:
            super().log_message(format, *args)

    # --- routing ---------------------------------------------------------------------------------------
    def do_GET(self):
        url = urlsplit(self.path)
        if url.path == "/_sandbox/ledger":
            return self._json(200, self.ctx.ledger.listing())
        if url.path == "/_sandbox/faults":
            return self._json(200, {"pending": self.ctx.faults.pending()})
        operation = soap.operation_for(url.path)
        if operation and url.query.lower() == "wsdl":
            return self._send(200, "text/xml; charset=utf-8", soap.wsdl(operation, self._location(url.path)))
        return self._send(404, "text/html", b"<html><body>404 - File or directory not found.</body></html>")

    def do_POST(self):
        url = urlsplit(self.path)
        body = self.rfile.read(min(int(self.headers.get("Content-Length") or 0), MAX_BODY))
        if url.path.startswith("/_sandbox/"):
            return self._control(url.path, body)
        operation = soap.operation_for(url.path)
        if operation is None:
            return self._send(404, "text/html", b"<html><body>404 - File or directory not found.</body></html>")
        if "application/soap+xml" not in (self.headers.get("Content-Type") or ""):
            # WCF/ASMX answer a SOAP 1.1 (text/xml) call on a SOAP 1.2 binding with 415
            return self._send(415, "text/plain", b"Cannot process the message because the content type is unexpected.")
        self._soap(operation, body)

    @property
    def ctx(self) -> Context:
        return self.server.ctx

    # --- SOAP --------------------------------------------------------------------------------------------
    def _soap(self, operation: str, body: bytes):
        fault = self.ctx.faults.take(operation)
        if fault and fault.mode == "delay":
            time.sleep(fault.seconds)
        if fault and fault.mode in ("html_500", "html_503"):
            return self._send(500 if fault.mode == "html_500" else 503, "text/html; charset=utf-8",
                              IIS_500 if fault.mode == "html_500" else IIS_503)
        if fault and fault.mode == "soap_fault":
            return self._send(500, soap.CONTENT_TYPE, soap.fault("Server was unable to process request."))
        try:
            payload = soap.parse_request(body, operation)
        except soap.SoapError as error:
            return self._send(500, soap.CONTENT_TYPE, soap.fault(str(error), code="Sender"))
        service = SERVICES[operation]
        if fault and fault.mode in CSTAT_FAULTS:
            reply = service.bare(self.ctx, payload, CSTAT_FAULTS[fault.mode])
        elif service.takes_certificate:
            reply = service.answer(self.ctx, payload, self._client_certificate())
        else:
            reply = service.answer(self.ctx, payload)
        data = soap.envelope(operation, reply)
        if fault and fault.mode == "accept_then_hang":
            return self._hang()
        if fault and fault.mode == "truncate":
            cut = data.rindex(b"<", 0, len(data) * 2 // 3) + 3  # inside a tag name
            data = data[:cut]
        self._send(200, soap.CONTENT_TYPE, data)

    def _client_certificate(self) -> x509.Certificate | None:
        if not isinstance(self.request, ssl.SSLSocket):
            return None
        der = self.request.getpeercert(binary_form=True)
        return x509.load_der_x509_certificate(der) if der else None

    def _hang(self):
        """The request was processed and recorded; the answer never comes. Drop when the client leaves."""
        deadline = time.monotonic() + HANG_LIMIT
        while time.monotonic() < deadline and not self.ctx.stopping.is_set():
            readable, _, _ = select.select([self.request], [], [], 0.2)
            if readable:
                try:
                    if not self.request.recv(1):
                        break  # the client gave up
                except (OSError, ValueError):
                    break
        self.close_connection = True

    # --- control API -------------------------------------------------------------------------------------
    def _control(self, path: str, body: bytes):
        try:
            data = json.loads(body or b"{}")
            if path == "/_sandbox/faults":
                fault = Fault(mode=data["mode"], count=data.get("count", 1), seconds=float(data.get("seconds", 0)),
                              service=data.get("service", "*"))
                self.ctx.faults.add(fault)
                return self._json(200, {"pending": self.ctx.faults.pending()})
            if path == "/_sandbox/faults/clear":
                self.ctx.faults.clear()
                return self._json(200, {"pending": []})
            if path == "/_sandbox/reset":
                self.ctx.reset()
                return self._json(200, {"reset": True})
            if path == "/_sandbox/clock":
                self.ctx.clock_offset = float(data.get("offset_seconds", 0))
                return self._json(200, {"now": self.ctx.dh()})
            if path == "/_sandbox/settings":
                for name in ("lookup_limit", "receipt_delay"):
                    if name in data:
                        setattr(self.ctx, name, type(getattr(self.ctx, name))(data[name]))
                return self._json(200, {"lookup_limit": self.ctx.lookup_limit, "receipt_delay": self.ctx.receipt_delay})
        except (KeyError, ValueError, TypeError) as error:
            return self._json(400, {"error": str(error)})
        return self._json(404, {"error": f"unknown control endpoint {path}"})

    # --- plumbing ----------------------------------------------------------------------------------------
    def _location(self, path: str) -> str:
        scheme = "https" if isinstance(self.request, ssl.SSLSocket) else "http"
        return f"{scheme}://{self.headers.get('Host', 'localhost')}{path}"

    def _json(self, status: int, data: object):
        self._send(status, "application/json", json.dumps(data, default=str).encode())

    def _send(self, status: int, content_type: str, data: bytes):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class SandboxServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, ctx: Context, tls: TlsConfig | None = None, verbose: bool = False):
        super().__init__(address, Handler)
        self.ctx, self.verbose = ctx, verbose
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(tls.cert, tls.key)
            context.load_verify_locations(tls.client_ca)
            context.verify_mode = ssl.CERT_REQUIRED  # SEFAZ demands the e-CNPJ at the TLS layer
            self.socket = context.wrap_socket(self.socket, server_side=True, do_handshake_on_connect=False)

    def handle_error(self, request, client_address):
        if self.verbose:
            super().handle_error(request, client_address)


@dataclass
class SandboxHandle:
    url: str  # e.g. http://127.0.0.1:8702 (no trailing slash)
    ctx: Context
    server: SandboxServer
    thread: threading.Thread

    def stop(self) -> None:
        self.ctx.stopping.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
        self.ctx.ledger.close()


def start_sandbox(db_path: str, host: str = "127.0.0.1", port: int = 0, tls: TlsConfig | None = None, *,
                  faults: list[Fault] = (), lookup_limit: int = 20, verbose: bool = False) -> SandboxHandle:
    """Serve in a background thread; port 0 picks a free port. Call .stop() when done."""
    ctx = Context(ledger=Ledger(db_path), lookup_limit=lookup_limit)
    for fault in faults:
        ctx.faults.add(fault)
    server = SandboxServer((host, port), ctx, tls=tls, verbose=verbose)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True,
                              name="sefaz-sandbox")
    thread.start()
    scheme = "https" if tls else "http"
    return SandboxHandle(f"{scheme}://{host}:{server.server_address[1]}", ctx, server, thread)
