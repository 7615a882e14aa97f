"""The record of every hybrid-offer removal: who asked, when, what went, what Amazon answered."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from products.models import Offer
from sellers.models import Seller
from sellers.tenancy import SellerQuerySet

__all__ = ["HybridRemoval"]


class HybridRemoval(models.Model):
    class Action(models.TextChoices):
        DELETE_SKU = "delete_sku", _("Delete the merchant-fulfilled twin SKU")
        PATCH_FULFILLMENT = "patch_fulfillment", _("Remove the merchant-fulfilled channel from the SKU")

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted by Amazon")
        REJECTED = "rejected", _("Rejected by Amazon")
        FAILED = "failed", _("Amazon could not be reached")

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="hybrid_removals")
    # The offer row disappears once Amazon confirms the removal; sku/asin/channel keep what it was.
    offer = models.ForeignKey(Offer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    sku = models.CharField(_("SKU"), max_length=60)
    asin = models.CharField(_("ASIN"), max_length=10, blank=True)
    fulfillment_channel = models.CharField(_("removed channel"), max_length=20)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    submission_id = models.CharField(max_length=80, blank=True)
    amazon_response = models.JSONField(_("Amazon's answer"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    objects = SellerQuerySet.as_manager()

    class Meta:
        verbose_name = _("hybrid offer removal")
        verbose_name_plural = _("hybrid offer removals")
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["seller", "-requested_at"])]

    def __str__(self) -> str:
        return f"{self.sku} [{self.fulfillment_channel}] {self.action} {self.outcome}"
