"""The one chokepoint for every HTTP request to Amazon (LWA and SP-API).

Why our own thin client on `requests` and not `python-amazon-sp-api` behind an interface: that library
does no rate limiting and no retries (by design), caches LWA tokens per process in a 10-entry dict,
does not fetch RDTs for `getShipmentDetails`, and leaves the invoice MD5 to the caller. Every one of
those is ours to get right anyway, and the ~12 operations we call are a few lines each, so a second
layer would add a dependency without removing any of our code. The sandbox test suite
(`tests/sandboxes`) proves the protocol with that library, so we can switch if Amazon changes much.

Everything goes through `send()`: one `requests.Session`, a default timeout, the `x-amzn-RequestId`
of every answer logged (Amazon support asks for it), network failures turned into `SpApiError`.
Secrets never reach the log: only method, path, status and request id do.
"""

import logging
from urllib.parse import urlsplit

import requests
from django.conf import settings

log = logging.getLogger("integration.http")
USER_AGENT = "OnsiteBackoffice/1.0 (Language=Python/3.11)"
RETRYABLE_STATUSES = {429, 500, 502, 503, 504}

_session = requests.Session()
_session.headers["User-Agent"] = USER_AGENT


class SpApiError(Exception):
    """An Amazon call that failed; `retryable` says whether trying again later can help."""

    def __init__(self, code: str, message: str, *, retryable: bool, status: int | None = None, request_id: str = ""):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.retryable = retryable
        self.status = status
        self.request_id = request_id


def send(method: str, url: str, **kwargs) -> requests.Response:
    """One request; raises SpApiError(retryable=True) on network errors and timeouts, never on a status."""
    kwargs.setdefault("timeout", settings.SP_API_TIMEOUT)
    path = urlsplit(url).path
    try:
        response = _session.request(method, url, **kwargs)
    except requests.RequestException as exc:
        log.warning("amazon %s %s network error %s", method, path, type(exc).__name__)
        raise SpApiError("NetworkError", str(exc), retryable=True) from exc
    log.info("amazon %s %s -> %s request_id=%s", method, path, response.status_code, request_id(response))
    return response


def request_id(response: requests.Response) -> str:
    return response.headers.get("x-amzn-RequestId", "")


def error_from(response: requests.Response) -> SpApiError:
    """Amazon's `{"errors": [{code, message, details}]}` as an SpApiError."""
    try:
        first = (response.json().get("errors") or [{}])[0]
    except (ValueError, AttributeError):
        first = {}
    code = first.get("code") or f"HTTP{response.status_code}"
    message = " ".join(filter(None, [first.get("message"), first.get("details")])) or response.reason or ""
    return SpApiError(
        code, message, retryable=response.status_code in RETRYABLE_STATUSES,
        status=response.status_code, request_id=request_id(response),
    )
