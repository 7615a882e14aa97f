from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from integration import spapi
from integration.client import AuthorizationUnusable, SpApiClient
from integration.expiry import check_expiries
from integration.models import ExpiryWarning
from sellers.models import AmazonAuthorization
from sellers.services import record_authorization
from tests.factories import AmazonAuthorizationFactory, CertificateFactory

from .conftest import SELLER_SP, refresh_token_of

AGENCY = ["alertas@agencia.example.com.br"]


@pytest.fixture
def authorization(db):
    now = timezone.now()
    return AmazonAuthorizationFactory(authorized_at=now - timedelta(days=365) + timedelta(days=40))


@override_settings(AGENCY_ALERT_EMAILS=AGENCY)
def test_authorization_warnings_go_out_at_30_15_7_and_1_days_once_each(authorization):
    expires = authorization.expires_at
    sent_on = {}
    for days_before in range(40, 0, -1):
        day = expires - timedelta(days=days_before) + timedelta(hours=1)
        for _run in range(2):  # the daily job may run twice
            for warning in check_expiries(now=day):
                sent_on[warning.threshold_days] = days_before
    assert sent_on == {30: 30, 15: 15, 7: 7, 1: 1}
    assert ExpiryWarning.objects.count() == 4 and len(mail.outbox) == 4
    assert mail.outbox[0].to == [authorization.seller.email, *AGENCY]


def test_a_job_that_missed_days_sends_only_the_nearest_warning(authorization):
    warnings = check_expiries(now=authorization.expires_at - timedelta(days=5))
    assert [w.threshold_days for w in warnings] == [7]
    assert check_expiries(now=authorization.expires_at - timedelta(days=3)) == []


def test_certificates_and_the_app_secret_are_watched_too(db):
    certificate = CertificateFactory(days=10)
    rotated = (timezone.now() - timedelta(days=176)).date().isoformat()
    with override_settings(LWA_CLIENT_SECRET_ROTATED_AT=rotated, AGENCY_ALERT_EMAILS=AGENCY):
        kinds = {(w.kind, w.threshold_days) for w in check_expiries()}
    assert kinds == {("certificate", 15), ("client_secret", 7)}
    assert certificate.seller.email in mail.outbox[0].to + mail.outbox[1].to


def test_an_expired_authorization_stops_calls_with_a_reason_and_renewal_resumes_them(amazon, portuguese):
    from .conftest import authorize

    authorization = authorize(amazon, authorized_at=timezone.now() - timedelta(days=366))
    check_expiries()
    authorization.refresh_from_db()
    assert not authorization.is_usable() and "expirou" in authorization.last_error
    with pytest.raises(AuthorizationUnusable) as raised:
        spapi.get_marketplace_participations(SpApiClient(authorization.seller))
    assert "expirou" in raised.value.message
    record_authorization(authorization.seller, selling_partner_id=SELLER_SP,
                         refresh_token=refresh_token_of(amazon, SELLER_SP))
    assert spapi.get_marketplace_participations(SpApiClient(authorization.seller))
    assert AmazonAuthorization.objects.get(pk=authorization.pk).last_error == ""
