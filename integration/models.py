"""State the Amazon integration shares between workers: token caches, rate buckets, import cursors,
processed notifications, OAuth states and the expiry warnings already sent."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from sellers.encryption import EncryptedTextField
from sellers.models import Seller
from sellers.tenancy import SellerQuerySet


class LwaAccessToken(models.Model):
    """One cached LWA access token per (client id, refresh token), shared by every worker.

    The refresh token is stored only as its SHA-256, so the cache never holds a second copy of it.
    """

    client_id = models.CharField(max_length=200)
    refresh_token_sha256 = models.CharField(max_length=64)
    access_token = EncryptedTextField()
    expires_at = models.DateTimeField()
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("LWA access token")
        verbose_name_plural = _("LWA access tokens")
        constraints = [
            models.UniqueConstraint(fields=["client_id", "refresh_token_sha256"], name="lwa_token_once_per_grant"),
        ]


class RestrictedDataToken(models.Model):
    """A cached RDT for one (seller, method, path): Amazon issues them for an hour, we keep them briefly."""

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="+")
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=300)
    token = EncryptedTextField()
    expires_at = models.DateTimeField()

    objects = SellerQuerySet.as_manager()

    class Meta:
        verbose_name = _("restricted data token")
        verbose_name_plural = _("restricted data tokens")
        constraints = [models.UniqueConstraint(fields=["seller", "method", "path"], name="rdt_once_per_resource")]


class RateBucket(models.Model):
    """Client-side token bucket per (seller, operation); rows are locked with SELECT ... FOR UPDATE."""

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="+")
    operation = models.CharField(max_length=60)
    rate = models.FloatField(help_text="requests per second")
    burst = models.PositiveIntegerField()
    tokens = models.FloatField()
    updated_at = models.DateTimeField()

    objects = SellerQuerySet.as_manager()

    class Meta:
        verbose_name = _("rate bucket")
        verbose_name_plural = _("rate buckets")
        constraints = [models.UniqueConstraint(fields=["seller", "operation"], name="bucket_once_per_operation")]


class ImportCursor(models.Model):
    """Where the order sweep of a seller stands. `last_updated_before` moves only after a whole window is stored;
    `resume_token`/`window_*` let a window interrupted by throttling continue on the next run."""

    seller = models.OneToOneField(Seller, on_delete=models.CASCADE, related_name="import_cursor")
    last_updated_before = models.DateTimeField(null=True, blank=True)
    window_after = models.DateTimeField(null=True, blank=True)
    window_before = models.DateTimeField(null=True, blank=True)
    resume_token = models.TextField(blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    objects = SellerQuerySet.as_manager()

    class Meta:
        verbose_name = _("order import cursor")
        verbose_name_plural = _("order import cursors")

    def __str__(self) -> str:
        return f"{self.seller}: {self.last_updated_before}"


class ProcessedNotification(models.Model):
    """SQS delivers at least once: the unique NotificationId is inserted before the work, in its transaction."""

    notification_id = models.CharField(max_length=80, unique=True)
    notification_type = models.CharField(max_length=60)
    seller = models.ForeignKey(Seller, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    payload = models.JSONField(default=dict)
    processed_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True, help_text="empty: the work did not finish; redelivery retries")

    objects = SellerQuerySet.as_manager()

    class Meta:
        verbose_name = _("processed notification")
        verbose_name_plural = _("processed notifications")
        ordering = ["-processed_at"]


class OAuthState(models.Model):
    """The one-time `state` of a consent redirect, tied to the seller who started it."""

    state = models.CharField(max_length=64, unique=True)
    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="+")
    redirect_uri = models.URLField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    objects = SellerQuerySet.as_manager()

    class Meta:
        verbose_name = _("OAuth state")
        verbose_name_plural = _("OAuth states")


class ExpiryWarning(models.Model):
    """A warning already sent: unique per (kind, object, threshold), so the daily job sends each one once."""

    class Kind(models.TextChoices):
        AUTHORIZATION = "authorization", _("Amazon authorization")
        CERTIFICATE = "certificate", _("A1 certificate")
        CLIENT_SECRET = "client_secret", _("LWA client secret")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    object_key = models.CharField(max_length=100, help_text="object id and the expiry date it refers to")
    threshold_days = models.PositiveSmallIntegerField()
    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(auto_now_add=True)

    objects = SellerQuerySet.as_manager()

    class Meta:
        verbose_name = _("expiry warning")
        verbose_name_plural = _("expiry warnings")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_key", "threshold_days"], name="expiry_warning_once"),
        ]
from .listings.models import *  # noqa: E402,F401,F403 - Django discovers models from this module
