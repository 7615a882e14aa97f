"""The OAuth website authorization flow (first time and the yearly renewal) and "test connection".

consent_url() stores a one-time `state` (10 min) tied to the seller; Amazon redirects back with
`state`, `selling_partner_id` and `spapi_oauth_code` (valid ~5 min), which complete_authorization()
checks and exchanges at once. The new refresh token replaces the old and `authorized_at` restarts,
so orders blocked by an expired authorization resume on the next sweep.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from sellers.models import AmazonAuthorization
from sellers.services import record_authorization

from . import conf, lwa, spapi
from .client import SpApiClient
from .http import SpApiError
from .models import OAuthState

STATE_LIFETIME = timedelta(minutes=10)


class AuthorizationError(Exception):
    """The callback cannot be trusted or completed; the message says what the seller should do."""


@dataclass(frozen=True)
class ConnectionResult:
    ok: bool
    message: str
    store_names: tuple[str, ...] = ()


def consent_url(seller, *, redirect_uri: str) -> str:
    state = OAuthState.objects.create(
        seller=seller, state=secrets.token_urlsafe(32), redirect_uri=redirect_uri,
        expires_at=timezone.now() + STATE_LIFETIME,
    )
    query = {"application_id": settings.SP_API_APPLICATION_ID, "state": state.state, "redirect_uri": redirect_uri}
    return f"{conf.get('AMAZON_AUTHORIZE_URL') or settings.LWA_CONSENT_URL}?{urlencode(query)}"


def complete_authorization(*, state: str, spapi_oauth_code: str, selling_partner_id: str,
                           redirect_uri: str) -> AmazonAuthorization:
    """Check the one-time state, exchange the code, store the new refresh token. Raises AuthorizationError."""
    now = timezone.now()
    claimed = OAuthState.objects.filter(state=state, used_at__isnull=True, expires_at__gt=now).update(used_at=now)
    if not claimed or not state:
        raise AuthorizationError(_("This authorization link is invalid or has expired. Start again from the portal, "
                                   "under \"Amazon connection\"."))
    oauth_state = OAuthState.objects.select_related("seller").get(state=state)
    if oauth_state.redirect_uri != redirect_uri:
        raise AuthorizationError(_("The authorization came back to an unexpected address. Start again from the portal."))
    try:
        grant = lwa.exchange_code(spapi_oauth_code, redirect_uri=redirect_uri)
    except SpApiError as exc:
        raise AuthorizationError(_("Amazon did not confirm the authorization (%(code)s). The code lasts only a few "
                                   "minutes: start again from the portal.") % {"code": exc.code}) from exc
    return record_authorization(oauth_state.seller, selling_partner_id=selling_partner_id,
                                refresh_token=grant.refresh_token)


def test_connection(seller) -> ConnectionResult:
    """getMarketplaceParticipations, the cheapest call; records last_checked_at and last_success_at."""
    now = timezone.now()
    AmazonAuthorization.objects.filter(seller=seller).update(last_checked_at=now)
    try:
        participations = spapi.get_marketplace_participations(SpApiClient(seller))
    except SpApiError as exc:
        authorization = AmazonAuthorization.objects.filter(seller=seller).first()
        message = (authorization.last_error if authorization and authorization.last_error else "") or exc.message
        return ConnectionResult(False, message)
    brazil = [p for p in participations if p.marketplace_id == settings.SP_API_MARKETPLACE_ID and p.participating]
    if not brazil:
        return ConnectionResult(False, _("The connection works, but this account does not sell on Amazon.com.br."))
    AmazonAuthorization.objects.filter(seller=seller).update(last_success_at=now)
    return ConnectionResult(True, _("Connection to Amazon is working."), tuple(p.store_name for p in brazil))


test_connection.__test__ = False  # a service, not a pytest test
