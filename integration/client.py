"""SP-API client for one seller: token, rate bucket, retries with backoff, RDTs, errors explained.

Retry policy (AWS REL05-BP03): 429, 5xx and network errors are retried with exponential backoff and
full jitter (base * 2**attempt, capped) up to SP_API_MAX_ATTEMPTS; other 4xx are final. A 403 for an
expired or revoked access token refreshes the token once.
"""

import logging
import random
import time
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _

from sellers.encryption import secret
from sellers.models import AmazonAuthorization

from . import conf, lwa, ratelimit
from .http import SpApiError, error_from, send
from .models import RestrictedDataToken

log = logging.getLogger("integration.client")
RDT_CACHE = timedelta(minutes=5)  # Amazon issues them for an hour; a short cache bounds a leaked token's use


class AuthorizationUnusable(SpApiError):
    """The seller's authorization is lost, revoked or expired: nothing to retry until they re-authorize."""

    def __init__(self, message: str):
        super().__init__("AuthorizationUnusable", message, retryable=False)


def backoff(attempt: int) -> float:
    """Full jitter: uniform in [0, min(cap, base * 2**attempt)]."""
    return random.uniform(0, min(conf.get("SP_API_BACKOFF_CAP"), conf.get("SP_API_BACKOFF_BASE") * 2**attempt))


class SpApiClient:
    def __init__(self, seller, *, base_url: str | None = None):
        self.seller = seller
        self.base_url = (base_url or settings.SP_API_BASE_URL).rstrip("/")

    @property
    def authorization(self) -> AmazonAuthorization:
        authorization = AmazonAuthorization.objects.filter(seller=self.seller).first()
        if authorization is None:
            raise AuthorizationUnusable(_("The seller has not authorized our Amazon app yet: open the portal and "
                                          "use \"Authorize Amazon\"."))
        if not authorization.is_usable():
            raise AuthorizationUnusable(authorization.last_error or expired_message())
        return authorization

    def call(self, operation: str, method: str, path: str, *, params=None, json=None, restricted=False) -> dict:
        """Perform one SP-API operation and return the JSON body; raises SpApiError when it finally fails."""
        attempts = conf.get("SP_API_MAX_ATTEMPTS")
        for attempt in range(attempts):
            try:
                return self._once(operation, method, path, params=params, json=json, restricted=restricted)
            except SpApiError as exc:
                if not exc.retryable or attempt == attempts - 1:
                    raise
                pause = backoff(attempt)
                log.info("retrying %s in %.2fs after %s", operation, pause, exc.code)
                time.sleep(pause)
        raise AssertionError("unreachable")

    def _once(self, operation, method, path, *, params, json, restricted, token_retry=True) -> dict:
        ratelimit.acquire(self.seller, operation)
        token = self.restricted_token(method, path) if restricted else self.access_token()
        response = send(method, self.base_url + path, params=params, json=json,
                        headers={"x-amz-access-token": token, "x-amz-date": _amz_date()})
        ratelimit.adjust(self.seller, operation, response.headers.get("x-amzn-RateLimit-Limit"))
        if response.status_code == 429:
            ratelimit.drain(self.seller, operation)
        if response.status_code == 403 and token_retry and _token_refused(response):
            self._forget(method, path, restricted)
            return self._once(operation, method, path, params=params, json=json, restricted=restricted,
                              token_retry=False)
        if response.status_code >= 400:
            raise error_from(response)
        self._record_success()
        return response.json() if response.content else {}

    def access_token(self) -> str:
        authorization = self.authorization
        try:
            return lwa.access_token(authorization.refresh_token.reveal())
        except lwa.LwaError as exc:
            handle_lwa_error(authorization, exc)
            raise

    def restricted_token(self, method: str, path: str) -> str:
        now = timezone.now()
        cached = RestrictedDataToken.objects.filter(seller=self.seller, method=method, path=path,
                                                    expires_at__gt=now).first()
        if cached:
            return cached.token.reveal()
        body = self.call("createRestrictedDataToken", "POST", "/tokens/2021-03-01/restrictedDataToken",
                         json={"restrictedResources": [{"method": method, "path": path}]})
        lifetime = min(RDT_CACHE, timedelta(seconds=int(body.get("expiresIn", 3600)) - 60))
        RestrictedDataToken.objects.update_or_create(
            seller=self.seller, method=method, path=path,
            defaults={"token": secret(body["restrictedDataToken"]), "expires_at": now + lifetime},
        )
        return body["restrictedDataToken"]

    def _forget(self, method: str, path: str, restricted: bool) -> None:
        if restricted:
            RestrictedDataToken.objects.filter(seller=self.seller, method=method, path=path).delete()
        else:
            lwa.forget(self.authorization.refresh_token.reveal())

    def _record_success(self) -> None:
        AmazonAuthorization.objects.filter(seller=self.seller).update(last_success_at=timezone.now())


def _token_refused(response) -> bool:
    text = response.text.lower()
    return "expired" in text or "revoked" in text


def _amz_date() -> str:
    return timezone.now().strftime("%Y%m%dT%H%M%SZ")


def expired_message() -> str:
    return _("The Amazon authorization has expired (it lasts 365 days). Re-authorize the app in the portal, "
             "under \"Amazon connection\", and orders will resume by themselves.")


def lost_message() -> str:
    return _("Amazon refused the authorization of our app (it was revoked or has expired). Open the portal, "
             "go to \"Amazon connection\" and authorize again; orders resume by themselves afterwards.")


def handle_lwa_error(authorization: AmazonAuthorization, exc: lwa.LwaError) -> None:
    """invalid_grant: the seller must re-authorize. invalid_client: our app secret is wrong; tell staff."""
    if exc.code == "invalid_grant":
        AmazonAuthorization.objects.filter(pk=authorization.pk).update(
            state=AmazonAuthorization.State.LOST, last_error=lost_message(), last_checked_at=timezone.now()
        )
    elif exc.code == "invalid_client":
        alert_staff_invalid_client()


def alert_staff_invalid_client() -> None:
    log.error("LWA answered invalid_client: LWA_CLIENT_ID/LWA_CLIENT_SECRET are wrong or the secret was rotated")
    if settings.AGENCY_ALERT_EMAILS:
        send_mail(
            _("Amazon app credentials refused (invalid_client)"),
            _("Login with Amazon refused our app's client id or secret. Every seller is affected. Rotate or "
              "update LWA_CLIENT_SECRET in the server settings (Developer Central > LWA credentials)."),
            None, settings.AGENCY_ALERT_EMAILS, fail_silently=True,
        )
