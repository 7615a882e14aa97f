"""Outgoing webhooks: a seller's endpoints and every delivery attempt made to them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from sellers.encryption import EncryptedTextField
from sellers.models import Seller
from sellers.tenancy import SellerQuerySet


class WebhookEvent(models.TextChoices):
    INVOICE_AUTHORIZED = "invoice.authorized", _("NF-e authorized")
    INVOICE_REJECTED = "invoice.rejected", _("NF-e rejected")
    INVOICE_ACCEPTED = "invoice.accepted_by_amazon", _("NF-e accepted by Amazon")
    CREDENTIAL_EXPIRING = "credential.expiring", _("Credential expiring")
    TEST = "webhook.test", _("Test (sent from the portal)")  # only ever sent to the one endpoint asked for


class WebhookEndpoint(models.Model):
    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(_("URL"), max_length=500)
    secret = EncryptedTextField()  # signs every body; shown once when created, never again
    events = models.JSONField(_("events"), default=list, help_text=_("Empty list: every event"))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SellerQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return f"{self.seller} → {self.url}"

    def event_labels(self) -> list[str]:
        """The subscribed events in words; empty means every event."""
        return [str(WebhookEvent(e).label) if e in WebhookEvent.values else e for e in self.events]

    def wants(self, event: str) -> bool:
        return self.active and (not self.events or event in self.events)


class DeliveryQuerySet(SellerQuerySet):
    seller_path = "endpoint__seller"


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        RETRYING = "retrying", _("Retrying")
        FAILED = "failed", _("Failed (gave up)")

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(_("event"), max_length=40, choices=WebhookEvent.choices)
    payload = models.JSONField(default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)  # first 2 KB: enough to see the receiver's error
    last_error = models.TextField(blank=True)
    replay_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replays")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint.url} ({self.status})"
