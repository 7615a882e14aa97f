from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.utils import timezone

from integration.authorization import AuthorizationError, complete_authorization, consent_url, test_connection
from integration.models import OAuthState
from sellers.models import AmazonAuthorization

from .conftest import SELLER_SP, control

REDIRECT = "http://127.0.0.1:8000/amazon/callback/"


def consent(handle, url: str, seller_id: str = SELLER_SP) -> dict:
    """What the seller does on Amazon's page: choose the account and authorize."""
    page = requests.get(url, timeout=5)
    assert page.status_code == 200
    form = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    reply = requests.post(f"{handle.url}/apps/authorize/consent", allow_redirects=False, timeout=5,
                          data={**form, "selling_partner_id": seller_id, "decision": "authorize"})
    assert reply.status_code == 302
    return {k: v[0] for k, v in parse_qs(urlsplit(reply.headers["Location"]).query).items()}


def test_the_oauth_flow_stores_a_new_refresh_token_and_restarts_the_clock(amazon, sp_seller):
    old = AmazonAuthorization.objects.get(seller=sp_seller)
    AmazonAuthorization.objects.filter(pk=old.pk).update(state=AmazonAuthorization.State.LOST, last_error="x")
    back = consent(amazon, consent_url(sp_seller, redirect_uri=REDIRECT))
    authorization = complete_authorization(redirect_uri=REDIRECT, **back)
    assert authorization.refresh_token.reveal() != old.refresh_token.reveal()
    assert authorization.authorized_at > old.authorized_at and authorization.state == AmazonAuthorization.State.ACTIVE
    result = test_connection(sp_seller)
    assert result.ok and result.store_names == ("Paulista Utilidades",)
    assert AmazonAuthorization.objects.get(pk=old.pk).last_success_at is not None


def test_an_unknown_state_is_refused(amazon, sp_seller):
    code = control(amazon, "POST", "auth-codes", sellingPartnerId=SELLER_SP, redirect_uri=REDIRECT)
    with pytest.raises(AuthorizationError):
        complete_authorization(state="forged", redirect_uri=REDIRECT, spapi_oauth_code=code["spapi_oauth_code"],
                               selling_partner_id=SELLER_SP)


def test_an_expired_state_is_refused(amazon, sp_seller):
    url = consent_url(sp_seller, redirect_uri=REDIRECT)
    OAuthState.objects.update(expires_at=timezone.now() - timezone.timedelta(seconds=1))
    with pytest.raises(AuthorizationError):
        complete_authorization(redirect_uri=REDIRECT, **consent(amazon, url))


def test_a_state_works_only_once(amazon, sp_seller):
    back = consent(amazon, consent_url(sp_seller, redirect_uri=REDIRECT))
    complete_authorization(redirect_uri=REDIRECT, **back)
    with pytest.raises(AuthorizationError):
        complete_authorization(redirect_uri=REDIRECT, **back)


def test_a_failed_connection_test_says_why(amazon, sp_seller, portuguese):
    control(amazon, "POST", "refresh-tokens/revoke", sellingPartnerId=SELLER_SP)
    result = test_connection(sp_seller)
    assert not result.ok and "autorize novamente" in result.message
    authorization = AmazonAuthorization.objects.get(seller=sp_seller)
    assert authorization.last_checked_at is not None
