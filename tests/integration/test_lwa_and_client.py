import pytest
from django.test import override_settings

from integration import lwa, ratelimit, spapi
from integration.client import AuthorizationUnusable, SpApiClient
from integration.http import SpApiError
from integration.models import LwaAccessToken, RateBucket
from sellers.models import AmazonAuthorization

from .conftest import SELLER_SP, control, refresh_token_of


def lwa_requests(handle) -> int:
    return handle.store.one("SELECT COUNT(*) AS n FROM tokens WHERE kind = 'access'")["n"]


def test_access_token_is_cached_so_the_second_call_makes_no_lwa_request(amazon):
    token = refresh_token_of(amazon, SELLER_SP)
    first = lwa.access_token(token)
    second = lwa.access_token(token)
    assert first == second
    assert lwa_requests(amazon) == 1
    row = LwaAccessToken.objects.get()
    assert token not in str(row.refresh_token_sha256) and row.access_token.reveal() == first


def test_a_token_near_its_expiry_is_refreshed(amazon):
    token = refresh_token_of(amazon, SELLER_SP)
    lwa.access_token(token)
    LwaAccessToken.objects.update(expires_at=LwaAccessToken.objects.get().expires_at.replace(year=2000))
    lwa.access_token(token)
    assert lwa_requests(amazon) == 2


def test_a_revoked_refresh_token_marks_the_authorization_lost_in_portuguese(amazon, sp_seller, portuguese):
    control(amazon, "POST", "refresh-tokens/revoke", sellingPartnerId=SELLER_SP)
    with pytest.raises(SpApiError) as raised:
        spapi.get_marketplace_participations(SpApiClient(sp_seller))
    assert raised.value.code == "invalid_grant" and not raised.value.retryable
    authorization = AmazonAuthorization.objects.get(seller=sp_seller)
    assert authorization.state == AmazonAuthorization.State.LOST
    assert "autorize novamente" in authorization.last_error
    with pytest.raises(AuthorizationUnusable):  # no more LWA calls until the seller re-authorizes
        spapi.get_marketplace_participations(SpApiClient(sp_seller))


def test_a_wrong_client_secret_alerts_the_agency(amazon, sp_seller, mailoutbox=None):
    from django.core import mail

    with override_settings(LWA_CLIENT_SECRET="wrong", AGENCY_ALERT_EMAILS=["ops@agencia.example.com.br"]):
        with pytest.raises(SpApiError) as raised:
            spapi.get_marketplace_participations(SpApiClient(sp_seller))
    assert raised.value.code == "invalid_client"
    assert AmazonAuthorization.objects.get(seller=sp_seller).state == AmazonAuthorization.State.ACTIVE
    assert mail.outbox and mail.outbox[0].to == ["ops@agencia.example.com.br"]


def test_server_errors_are_retried_and_then_succeed(amazon, sp_seller):
    control(amazon, "POST", "faults", operation="getMarketplaceParticipations", status=503, count=2)
    participations = spapi.get_marketplace_participations(SpApiClient(sp_seller))
    assert participations[0].marketplace_id == "A2Q3Y263D00KWC"


def test_a_429_storm_is_retried_until_it_passes(amazon, sp_seller):
    control(amazon, "POST", "faults", operation="getMarketplaceParticipations", status=429, count=3)
    assert spapi.get_marketplace_participations(SpApiClient(sp_seller))


def test_client_errors_other_than_429_are_not_retried(amazon, sp_seller, caplog):
    caplog.set_level("INFO", logger="integration.http")
    with pytest.raises(SpApiError) as raised:
        spapi.get_order(SpApiClient(sp_seller), "not-an-order-id")
    assert raised.value.status == 400 and not raised.value.retryable
    assert sum("-> 400" in r.getMessage() for r in caplog.records) == 1
    assert all("request_id=" in r.getMessage() and len(r.getMessage().split("request_id=")[1]) > 10
               for r in caplog.records if "->" in r.getMessage())


def test_retries_give_up_after_the_maximum_attempts(amazon, sp_seller):
    control(amazon, "POST", "faults", operation="getOrder", status=500, count=50)
    with override_settings(SP_API_MAX_ATTEMPTS=3):
        with pytest.raises(SpApiError) as raised:
            spapi.get_order(SpApiClient(sp_seller), "702-4100001-5300007")
    assert raised.value.retryable and raised.value.status == 500


def test_an_expired_access_token_is_refreshed_once_and_the_call_succeeds(amazon, sp_seller):
    client = SpApiClient(sp_seller)
    spapi.get_order(client, "702-4100001-5300007")
    control(amazon, "POST", "tokens/expire", kinds=["access"])
    assert spapi.get_order(client, "702-4100001-5300007")["orderId"] == "702-4100001-5300007"
    assert lwa_requests(amazon) == 2


def test_the_rate_bucket_follows_amazons_rate_limit_header(amazon, sp_seller):
    spapi.get_order(SpApiClient(sp_seller), "702-4100001-5300007")
    bucket = RateBucket.objects.get(seller=sp_seller, operation="getOrder")
    assert bucket.rate == pytest.approx(0.5 * 1000) and bucket.tokens == pytest.approx(29, abs=0.5)


def test_an_empty_bucket_gives_the_worker_back_instead_of_sleeping_long(sp_seller):
    RateBucket.objects.create(seller=sp_seller, operation="searchOrders", rate=0.0056, burst=20, tokens=0,
                              updated_at=__import__("django.utils.timezone").utils.timezone.now())
    with pytest.raises(SpApiError) as raised:
        ratelimit.acquire(sp_seller, "searchOrders", max_wait=1)
    assert raised.value.code == "Throttled" and raised.value.retryable
