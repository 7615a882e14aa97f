"""Daily expiry check: Amazon authorizations (authorized_at + 365 d), A1 certificates (not_after) and our app's
LWA client secret (LWA_CLIENT_SECRET_ROTATED_AT + 180 d).

Warnings go out at 30, 15, 7 and 1 days, each once: an `ExpiryWarning` row, unique per (kind, object and
expiry date, threshold), is inserted in the same transaction that sends the e-mail. A job that missed
some days sends only the nearest threshold. An expired authorization gets a clear `last_error`;
the client and pre-flight refuse it until the seller re-authorizes, after which orders resume.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sellers.models import AUTHORIZATION_LIFETIME, AmazonAuthorization, Certificate

from .client import expired_message
from .models import ExpiryWarning

THRESHOLDS = (1, 7, 15, 30)  # nearest first
CLIENT_SECRET_LIFETIME = timedelta(days=180)


@dataclass(frozen=True)
class Expiring:
    kind: str
    object_key: str
    expires_at: datetime
    seller: object | None
    what: str


def check_expiries(now=None) -> list[ExpiryWarning]:
    now = now or timezone.now()
    mark_expired_authorizations(now)
    sent = []
    for item in [*_authorizations(), *_certificates(), *_client_secret()]:
        warning = warn(item, now)
        if warning:
            sent.append(warning)
    return sent


def mark_expired_authorizations(now) -> int:
    cutoff = now - AUTHORIZATION_LIFETIME
    return AmazonAuthorization.objects.filter(state=AmazonAuthorization.State.ACTIVE, authorized_at__lte=cutoff).exclude(
        last_error=expired_message()).update(last_error=expired_message())


def _authorizations():
    for a in AmazonAuthorization.objects.filter(state=AmazonAuthorization.State.ACTIVE).select_related("seller"):
        yield Expiring(ExpiryWarning.Kind.AUTHORIZATION, f"{a.pk}:{a.expires_at:%Y-%m-%d}", a.expires_at, a.seller,
                       _("the Amazon authorization of %(seller)s") % {"seller": a.seller})


def _certificates():
    for c in Certificate.objects.filter(active=True).select_related("seller"):
        yield Expiring(ExpiryWarning.Kind.CERTIFICATE, f"{c.pk}:{c.not_after:%Y-%m-%d}", c.not_after, c.seller,
                       _("the A1 certificate of %(seller)s") % {"seller": c.seller})


def _client_secret():
    rotated = parse_date(settings.LWA_CLIENT_SECRET_ROTATED_AT or "")
    if rotated:
        expires = timezone.make_aware(datetime.combine(rotated, datetime.min.time())) + CLIENT_SECRET_LIFETIME
        yield Expiring(ExpiryWarning.Kind.CLIENT_SECRET, f"{settings.LWA_CLIENT_ID}:{expires:%Y-%m-%d}", expires, None,
                       _("the LWA client secret of our Amazon app"))


def warn(item: Expiring, now) -> ExpiryWarning | None:
    left = item.expires_at - now
    due = [t for t in THRESHOLDS if timedelta(0) < left <= timedelta(days=t)]
    if not due:
        return None
    threshold = due[0]
    if ExpiryWarning.objects.filter(kind=item.kind, object_key=item.object_key, threshold_days__lte=threshold).exists():
        return None  # this or a nearer warning already went out
    try:
        with transaction.atomic():
            warning = ExpiryWarning.objects.create(kind=item.kind, object_key=item.object_key, threshold_days=threshold,
                                                   seller=item.seller, expires_at=item.expires_at)
            _mail(item, left)
            _webhook(item)
    except IntegrityError:  # another worker sent it
        return None
    return warning


def _webhook(item: Expiring) -> None:
    if item.seller is None:  # the app's own secret concerns the agency, not a seller's integration
        return
    from portal.webhooks import notify_credential_expiring

    credential = "certificate" if item.kind == "certificate" else "amazon_authorization"
    notify_credential_expiring(item.seller, credential=credential, expires_at=item.expires_at)


def _mail(item: Expiring, left: timedelta) -> None:
    recipients = [*([item.seller.email] if item.seller and item.seller.email else []), *settings.AGENCY_ALERT_EMAILS]
    if not recipients:
        return
    days = max(1, left.days + (1 if left.seconds else 0))
    local = timezone.localtime(item.expires_at)
    send_mail(
        ngettext("Expires in %(days)d day: %(what)s", "Expires in %(days)d days: %(what)s", days)
        % {"days": days, "what": item.what},
        _("%(what)s expires on %(date)s. Renew it before then, or invoices stop: re-authorize Amazon or upload the "
          "new certificate in the portal; the app secret is rotated in Amazon's Developer Central.")
        % {"what": item.what, "date": f"{local:%d/%m/%Y %H:%M}"},
        None, recipients,
    )
