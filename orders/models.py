"""Amazon orders as imported, with the buyer's fiscal identity and the Brazilian address fields."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from products.models import Product
from sellers.documents import UF_CHOICES
from sellers.models import Seller
from sellers.tenancy import SellerQuerySet


class PreflightStatus(models.TextChoices):
    UNCHECKED = "unchecked", _("Not checked yet")
    BLOCKED = "blocked", _("Blocked: data to fix")
    OK = "ok", _("Ready to invoice")


class OrderQuerySet(SellerQuerySet):
    def invoiceable(self):
        """Orders Amazon has released for shipping (Pending orders have no address yet)."""
        return self.filter(amazon_status__in=Order.INVOICEABLE_STATUSES)

    def blocked(self):
        return self.filter(preflight_status=PreflightStatus.BLOCKED)


class Order(models.Model):
    INVOICEABLE_STATUSES = ("UNSHIPPED", "PARTIALLY_SHIPPED", "SHIPPED", "Unshipped", "PartiallyShipped", "Shipped")
    CANCELLED_STATUSES = ("CANCELLED", "Canceled", "Cancelled")

    class BuyerIeIndicator(models.IntegerChoices):
        """indIEDest."""

        CONTRIBUINTE = 1, _("ICMS taxpayer")
        ISENTO = 2, _("Exempt from state registration")
        NAO_CONTRIBUINTE = 9, _("Not an ICMS taxpayer")

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="orders")
    amazon_order_id = models.CharField(_("Amazon order id"), max_length=40)
    shipment_id = models.CharField(_("FBA Onsite shipment id"), max_length=60, blank=True, db_index=True)
    is_fba_onsite = models.BooleanField(_("FBA Onsite"), default=True)
    amazon_status = models.CharField(_("Amazon status"), max_length=30)
    purchase_date = models.DateTimeField(_("purchase date"))
    last_update_date = models.DateTimeField(_("last update at Amazon"))
    shipment_seen_at = models.DateTimeField(
        _("shipment appeared at"), null=True, blank=True, help_text=_("Start of the clock to Amazon's Accepted")
    )
    # Buyer (dest)
    buyer_name = models.CharField(_("buyer name"), max_length=120, blank=True)
    buyer_document = models.CharField(_("buyer CPF/CNPJ"), max_length=14, blank=True)
    buyer_ie = models.CharField(_("buyer IE"), max_length=14, blank=True)
    buyer_ie_indicator = models.PositiveSmallIntegerField(
        _("IE indicator"), choices=BuyerIeIndicator.choices, default=BuyerIeIndicator.NAO_CONTRIBUINTE
    )
    buyer_email = models.CharField(max_length=120, blank=True)
    buyer_phone = models.CharField(max_length=20, blank=True)
    # Delivery address, parsed into the NF-e fields; `raw_address` keeps Amazon's lines as received.
    street = models.CharField(_("street"), max_length=120, blank=True)
    number = models.CharField(_("number"), max_length=60, blank=True)
    complement = models.CharField(_("complement"), max_length=120, blank=True)
    district = models.CharField(_("neighbourhood"), max_length=120, blank=True)
    city_name = models.CharField(_("municipality"), max_length=120, blank=True)
    city_code = models.CharField(_("IBGE municipality code"), max_length=7, blank=True)
    uf = models.CharField(_("state (UF)"), max_length=2, blank=True, choices=UF_CHOICES)
    cep = models.CharField(_("CEP"), max_length=8, blank=True)
    raw_address = models.JSONField(default=dict, blank=True)
    # Marketplace data for the NF-e: infIntermed and pag/detPag.
    marketplace_cnpj = models.CharField(_("marketplace CNPJ"), max_length=14, blank=True)
    payments = models.JSONField(
        default=list, blank=True,
        help_text="[{method, amount, acquirer_cnpj, card_brand, authorization_code}]",
    )
    currency = models.CharField(max_length=3, default="BRL")
    order_total = models.DecimalField(_("order total"), max_digits=12, decimal_places=2, default=Decimal("0"))
    # Pre-flight: what must be fixed before an NF-e can be issued.
    preflight_status = models.CharField(
        _("pre-flight"), max_length=10, choices=PreflightStatus.choices, default=PreflightStatus.UNCHECKED
    )
    preflight_issues = models.JSONField(default=list, blank=True)
    preflight_checked_at = models.DateTimeField(null=True, blank=True)
    # Set when a pipeline task is enqueued, cleared when it starts: the reconciler re-enqueues only orders whose
    # task is not already waiting (or whose task was lost: queued long ago and never started).
    pipeline_queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-purchase_date"]
        constraints = [
            models.UniqueConstraint(fields=["seller", "amazon_order_id"], name="order_once_per_seller"),
        ]
        indexes = [
            models.Index(fields=["seller", "preflight_status"]),
            models.Index(fields=["seller", "-purchase_date"]),
        ]

    def __str__(self) -> str:
        return self.amazon_order_id

    @property
    def is_cancelled(self) -> bool:
        return self.amazon_status in self.CANCELLED_STATUSES


class OrderItem(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    order_item_id = models.CharField(max_length=40)
    sku = models.CharField(_("SKU"), max_length=60)
    asin = models.CharField(max_length=10, blank=True)
    title = models.CharField(max_length=250, blank=True)
    product = models.ForeignKey(Product, on_delete=models.SET_NULL, null=True, blank=True, related_name="order_items")
    quantity = models.PositiveIntegerField(_("quantity"))
    item_price = models.DecimalField(_("item price (total of the line)"), max_digits=12, decimal_places=2)
    shipping_price = models.DecimalField(_("shipping"), max_digits=12, decimal_places=2, default=Decimal("0"))
    discount = models.DecimalField(
        _("discount"), max_digits=12, decimal_places=2, default=Decimal("0"),
        help_text=_("Promotion plus shipping discounts of the line"),
    )

    class Meta:
        verbose_name = _("order item")
        verbose_name_plural = _("order items")
        constraints = [models.UniqueConstraint(fields=["order", "order_item_id"], name="order_item_once")]

    def __str__(self) -> str:
        return f"{self.sku} x{self.quantity}"
