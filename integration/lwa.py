"""Login with Amazon: refresh-token and authorization-code grants, and the access-token cache.

Access tokens live an hour. They are cached in the database (encrypted), keyed by the client id and the
SHA-256 of the refresh token, so every worker shares one token per seller and a token can never be served
for another seller's refresh token. A token is reused until 60 s before it expires.
"""

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from sellers.encryption import secret

from .http import SpApiError, request_id, send
from .models import LwaAccessToken

EARLY_REFRESH = timedelta(seconds=60)


class LwaError(SpApiError):
    """LWA said no: `invalid_grant` (seller must re-authorize) or `invalid_client` (our app secret)."""


@dataclass(frozen=True)
class TokenGrant:
    access_token: str
    expires_in: int
    refresh_token: str = ""


def _key(refresh_token: str) -> str:
    return hashlib.sha256(refresh_token.encode()).hexdigest()


def access_token(refresh_token: str, *, client_id: str | None = None, client_secret: str | None = None) -> str:
    """A live access token for this refresh token: from the shared cache, else from LWA (then cached)."""
    client_id = client_id or settings.LWA_CLIENT_ID
    now = timezone.now()
    cached = LwaAccessToken.objects.filter(client_id=client_id, refresh_token_sha256=_key(refresh_token)).first()
    if cached and cached.expires_at - EARLY_REFRESH > now:
        return cached.access_token.reveal()
    grant = exchange({"grant_type": "refresh_token", "refresh_token": refresh_token},
                     client_id=client_id, client_secret=client_secret)
    LwaAccessToken.objects.update_or_create(
        client_id=client_id, refresh_token_sha256=_key(refresh_token),
        defaults={"access_token": secret(grant.access_token), "expires_at": now + timedelta(seconds=grant.expires_in)},
    )
    return grant.access_token


def forget(refresh_token: str, *, client_id: str | None = None) -> None:
    """Drop a cached token Amazon refused (revoked or expired early), so the next call refreshes."""
    LwaAccessToken.objects.filter(
        client_id=client_id or settings.LWA_CLIENT_ID, refresh_token_sha256=_key(refresh_token)
    ).delete()


def exchange_code(code: str, *, redirect_uri: str) -> TokenGrant:
    """The OAuth website flow's last step: `spapi_oauth_code` (valid ~5 min) for a refresh token."""
    return exchange({"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri})


def exchange(form: dict, *, client_id: str | None = None, client_secret: str | None = None) -> TokenGrant:
    form = {**form, "client_id": client_id or settings.LWA_CLIENT_ID,
            "client_secret": client_secret or settings.LWA_CLIENT_SECRET}
    response = send("POST", settings.LWA_TOKEN_URL, data=form)
    body = _json(response)
    if response.status_code != 200 or "access_token" not in body:
        error = body.get("error") or f"HTTP{response.status_code}"
        raise LwaError(error, body.get("error_description", ""), status=response.status_code,
                       retryable=response.status_code >= 500 or response.status_code == 429,
                       request_id=request_id(response))
    return TokenGrant(body["access_token"], int(body.get("expires_in", 3600)), body.get("refresh_token", ""))


def _json(response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
