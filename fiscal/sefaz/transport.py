"""SOAP 1.2 over HTTPS with mutual TLS, the seller's e-CNPJ as client certificate.

Every Python SEFAZ client we read turns server verification off and writes the private key
unencrypted to a temp file. Here: the server is verified against settings.SEFAZ_CA_BUNDLE
(the ICP-Brasil chain) or certifi, never `verify=False`; the key reaches OpenSSL through an
anonymous memory file (memfd, never on disk), itself encrypted with a one-time password, closed
in `finally`. Plain HTTP is accepted only for an http:// SEFAZ_BASE_URL_OVERRIDE (the sandbox).
"""

import os
import secrets
import ssl
from dataclasses import dataclass

import certifi
import urllib3
from cryptography.hazmat.primitives import serialization
from django.conf import settings

CONTENT_TYPE = "application/soap+xml; charset=utf-8"
CONNECT_TIMEOUT = 10.0  # seconds; reading waits settings.SEFAZ_TIMEOUT (sped-common uses 20 s)


class TransportFailure(Exception):
    """No HTTP answer at all (refused, reset, TLS failure, timeout): the caller decides what it means."""

    def __init__(self, message: str, *, sent: bool):
        super().__init__(message)
        self.sent = sent  # False: the request surely never reached SEFAZ (connection refused, TLS failed)


@dataclass(frozen=True)
class HttpReply:
    status: int
    content_type: str
    body: bytes


def client_tls_context(private_key, certificate, chain=()) -> ssl.SSLContext:
    """TLS 1.2+, server verified, hostname checked, the client certificate loaded from memory."""
    context = ssl.create_default_context(cafile=settings.SEFAZ_CA_BUNDLE or certifi.where())
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.check_hostname = True
    context.verify_mode = ssl.CERT_REQUIRED
    _load_client_certificate(context, private_key, certificate, chain)
    return context


def _load_client_certificate(context: ssl.SSLContext, private_key, certificate, chain) -> None:
    password = secrets.token_bytes(32)
    pem = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(password),
    )
    for cert in (certificate, *chain):
        pem += cert.public_bytes(serialization.Encoding.PEM)
    fd = os.memfd_create("sefaz-client", os.MFD_CLOEXEC)  # RAM only, private to this process
    try:
        os.write(fd, pem)
        context.load_cert_chain(f"/proc/self/fd/{fd}", password=lambda: password)
    finally:
        os.close(fd)


def _plain_http_allowed(url: str) -> bool:
    override = settings.SEFAZ_BASE_URL_OVERRIDE
    return bool(override) and override.startswith("http://") and url.startswith(override.rstrip("/"))


class SoapTransport:
    """One connection pool per seller certificate; `post` never retries (a retry is a business decision)."""

    def __init__(self, tls_context: ssl.SSLContext | None, *, timeout: float | None = None):
        self.tls_context = tls_context
        self.timeout = urllib3.Timeout(connect=CONNECT_TIMEOUT, read=timeout or settings.SEFAZ_TIMEOUT)
        self.pool = urllib3.PoolManager(ssl_context=tls_context, cert_reqs="CERT_REQUIRED", num_pools=4, maxsize=2)

    def post(self, url: str, envelope: bytes, *, action: str) -> HttpReply:
        if url.startswith("http://") and not _plain_http_allowed(url):
            raise ValueError("SEFAZ is only reached over HTTPS (plain HTTP only for a sandbox override)")
        if url.startswith("https://") and self.tls_context is None:
            raise ValueError("mutual TLS needs the seller's certificate")
        headers = {"Content-Type": f'{CONTENT_TYPE}; action="{action}"'}
        try:
            response = self.pool.request("POST", url, body=envelope, headers=headers, timeout=self.timeout,
                                         retries=False, redirect=False)
        except urllib3.exceptions.HTTPError as error:
            raise TransportFailure(_describe(error), sent=not _surely_not_sent(error)) from None
        return HttpReply(response.status, response.headers.get("Content-Type", ""), response.data)


def _surely_not_sent(error: Exception) -> bool:
    # Refused connection or failed handshake: no byte of the SOAP request left this machine.
    reason = getattr(error, "reason", None) or error
    return isinstance(error, (urllib3.exceptions.SSLError, urllib3.exceptions.NewConnectionError,
                              urllib3.exceptions.ConnectTimeoutError)) or isinstance(
        reason, (urllib3.exceptions.SSLError, urllib3.exceptions.NewConnectionError,
                 urllib3.exceptions.ConnectTimeoutError, ssl.SSLError))


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {getattr(error, 'reason', None) or error}"[:500]
