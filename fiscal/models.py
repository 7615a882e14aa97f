"""NF-e invoices, their append-only history, numbering series, voided ranges and the fiscal reference tables."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from orders.models import Order
from sellers.documents import UF_CHOICES
from sellers.models import Environment, Seller
from sellers.tenancy import SellerQuerySet


class InvoiceStatus(models.TextChoices):
    SIGNED = "signed", _("Signed, waiting to be sent")
    SENDING = "sending", _("Sending to SEFAZ")
    PROCESSING = "processing", _("SEFAZ is processing")
    UNKNOWN = "unknown", _("Outcome unknown, checking SEFAZ")
    AUTHORIZED = "authorized", _("Authorized")
    REJECTED = "rejected", _("Rejected: data to fix")
    DENIED = "denied", _("Denied by SEFAZ")
    VOIDED = "voided", _("Number voided")
    CANCELLED = "cancelled", _("Cancelled")
    BLOCKED = "blocked", _("Stopped: agency staff must look")


# Every allowed move of an invoice, side by side with the states (fiscal.transitions enforces it).
TRANSITIONS: dict[str, set[str]] = {
    InvoiceStatus.SIGNED: {InvoiceStatus.SENDING, InvoiceStatus.VOIDED, InvoiceStatus.REJECTED},
    InvoiceStatus.SENDING: {
        InvoiceStatus.AUTHORIZED, InvoiceStatus.REJECTED, InvoiceStatus.DENIED, InvoiceStatus.UNKNOWN,
        InvoiceStatus.PROCESSING, InvoiceStatus.BLOCKED, InvoiceStatus.SIGNED,
    },
    InvoiceStatus.PROCESSING: {
        InvoiceStatus.AUTHORIZED, InvoiceStatus.REJECTED, InvoiceStatus.DENIED, InvoiceStatus.UNKNOWN,
        InvoiceStatus.PROCESSING, InvoiceStatus.BLOCKED,
    },
    InvoiceStatus.UNKNOWN: {
        InvoiceStatus.AUTHORIZED, InvoiceStatus.DENIED, InvoiceStatus.SENDING, InvoiceStatus.SIGNED,
        InvoiceStatus.BLOCKED, InvoiceStatus.UNKNOWN, InvoiceStatus.REJECTED,
    },
    # A rejected number is still free at SEFAZ: rebuilt with the fixed data under the same number, or voided.
    InvoiceStatus.REJECTED: {InvoiceStatus.SIGNED, InvoiceStatus.VOIDED},
    InvoiceStatus.AUTHORIZED: {InvoiceStatus.CANCELLED},
    InvoiceStatus.BLOCKED: {InvoiceStatus.UNKNOWN, InvoiceStatus.SIGNED, InvoiceStatus.VOIDED},
    InvoiceStatus.DENIED: set(),
    InvoiceStatus.VOIDED: set(),
    InvoiceStatus.CANCELLED: set(),
}

# States in which SEFAZ may hold (or may come to hold) the document: the order's one active invoice.
ACTIVE_STATUSES = [s for s in InvoiceStatus.values if s not in ("denied", "voided", "cancelled")]
# States a worker must drive forward; the reconciler re-enqueues them when they sit still.
IN_FLIGHT_STATUSES = ["signed", "sending", "processing", "unknown"]


class AmazonInvoiceStatus(models.TextChoices):
    NOT_SENT = "not_sent", _("Not sent to Amazon")
    SUBMITTING = "submitting", _("Sending to Amazon")
    PROCESSING = "processing", _("Amazon is processing")
    ACCEPTED = "accepted", _("Accepted by Amazon")
    ERRORED = "errored", _("Refused by Amazon")


class ErrorCategory(models.TextChoices):
    """The manual's four families of failure, plus the ones only staff can solve."""

    FISCAL_ATTRIBUTES = "fiscal_attributes", _("Product fiscal attributes")
    BUYER_ADDRESS = "buyer_address", _("Buyer data and address")
    CREDENTIALS = "credentials", _("Amazon authorization or certificate")
    TAX_DATA = "tax_data", _("Tax data")
    SEFAZ = "sefaz", _("SEFAZ unavailable")
    INTERNAL = "internal", _("Needs the agency's support")


class InvoiceQuerySet(SellerQuerySet):
    def in_flight(self):
        return self.filter(status__in=IN_FLIGHT_STATUSES)

    def authorized(self):
        return self.filter(status=InvoiceStatus.AUTHORIZED)


class InvoiceSeries(models.Model):
    """The next NF-e number of a seller's series; taken under SELECT ... FOR UPDATE (fiscal.numbering)."""

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="invoice_series")
    environment = models.PositiveSmallIntegerField(choices=Environment.choices)
    series = models.PositiveSmallIntegerField()
    next_number = models.PositiveIntegerField(default=1)
    frozen_reason = models.TextField(
        blank=True, help_text=_("Set when SEFAZ reports the number used by another document (539): no more issuing")
    )

    objects = SellerQuerySet.as_manager()

    class Meta:
        verbose_name = _("NF-e series")
        verbose_name_plural = _("NF-e series")
        constraints = [
            models.UniqueConstraint(fields=["seller", "environment", "series"], name="series_once_per_seller"),
        ]

    def __str__(self) -> str:
        return f"{self.seller} série {self.series} ({self.get_environment_display()})"


class Invoice(models.Model):
    seller = models.ForeignKey(Seller, on_delete=models.PROTECT, related_name="invoices")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="invoices")
    model = models.PositiveSmallIntegerField(default=55)
    environment = models.PositiveSmallIntegerField(choices=Environment.choices)
    series = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    access_key = models.CharField(_("access key"), max_length=44, unique=True)
    cnf = models.CharField(max_length=8)
    issued_at = models.DateTimeField(_("issued at (dhEmi)"))
    status = models.CharField(_("status"), max_length=12, choices=InvoiceStatus.choices, default=InvoiceStatus.SIGNED)
    total = models.DecimalField(_("total (vNF)"), max_digits=13, decimal_places=2, default=Decimal("0"))
    # The signed bytes are what SEFAZ may have seen: re-sent as they are, never regenerated (539).
    signed_xml = models.BinaryField(editable=False)
    digest_value = models.CharField(max_length=64)
    authorized_xml = models.BinaryField(null=True, blank=True, editable=False)  # nfeProc
    authorized_sha256 = models.CharField(max_length=64, blank=True)
    protocol = models.CharField(_("protocol (nProt)"), max_length=20, blank=True)
    authorized_at = models.DateTimeField(_("authorized at"), null=True, blank=True)
    receipt = models.CharField(_("receipt (nRec)"), max_length=20, blank=True)
    cstat = models.CharField("cStat", max_length=4, blank=True)
    xmotivo = models.TextField("xMotivo", blank=True)
    error_category = models.CharField(_("error category"), max_length=20, choices=ErrorCategory.choices, blank=True)
    error_message = models.TextField(_("what to fix"), blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    amazon_status = models.CharField(
        _("Amazon status"), max_length=12, choices=AmazonInvoiceStatus.choices, default=AmazonInvoiceStatus.NOT_SENT
    )
    amazon_error = models.TextField(_("Amazon's reason"), blank=True)
    amazon_submitted_at = models.DateTimeField(null=True, blank=True)
    amazon_accepted_at = models.DateTimeField(null=True, blank=True)
    amazon_next_poll_at = models.DateTimeField(null=True, blank=True)
    needs_cancellation = models.BooleanField(
        _("cancellation needed"), default=False, help_text=_("Amazon cancelled the shipment after authorization")
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("NF-e")
        verbose_name_plural = _("NF-e")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "environment", "series", "number"], name="invoice_number_once_per_series"
            ),
            models.UniqueConstraint(
                fields=["order"], condition=Q(status__in=ACTIVE_STATUSES), name="one_active_invoice_per_order"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["amazon_status", "amazon_next_poll_at"]),
            models.Index(fields=["seller", "status"]),
            models.Index(fields=["seller", "error_category"]),
        ]

    def __str__(self) -> str:
        return f"NF-e {self.number} série {self.series}"

    @property
    def seconds_to_accepted(self) -> float | None:
        start = self.order.shipment_seen_at or self.order.imported_at
        if not (self.amazon_accepted_at and start):
            return None
        return (self.amazon_accepted_at - start).total_seconds()


class InvoiceEventQuerySet(SellerQuerySet):
    seller_path = "invoice__seller"


class InvoiceEvent(models.Model):
    """Append-only history: every transition and every SEFAZ/Amazon exchange (without secrets)."""

    class Kind(models.TextChoices):
        TRANSITION = "transition", _("Status change")
        SEFAZ = "sefaz", _("SEFAZ exchange")
        AMAZON = "amazon", _("Amazon exchange")
        NOTE = "note", _("Note")

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="events")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    cstat = models.CharField(max_length=4, blank=True)
    message = models.TextField(blank=True)
    request = models.TextField(blank=True)
    response = models.TextField(blank=True)
    actor = models.CharField(max_length=150, blank=True)

    objects = InvoiceEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("NF-e event")
        verbose_name_plural = _("NF-e events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%d/%m/%Y %H:%M:%S} {self.kind} {self.to_status or self.cstat}"


class NumberVoid(models.Model):
    """An inutilização of a range of numbers (gaps left by rejected documents that will never be sent)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DONE = "done", _("Voided at SEFAZ")
        FAILED = "failed", _("Failed")

    seller = models.ForeignKey(Seller, on_delete=models.PROTECT, related_name="number_voids")
    environment = models.PositiveSmallIntegerField(choices=Environment.choices)
    series = models.PositiveSmallIntegerField()
    first_number = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField()
    reason = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    protocol = models.CharField(max_length=20, blank=True)
    cstat = models.CharField(max_length=4, blank=True)
    xmotivo = models.TextField(blank=True)
    response_xml = models.BinaryField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    objects = SellerQuerySet.as_manager()

    class Meta:
        verbose_name = _("voided number range")
        verbose_name_plural = _("voided number ranges")
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "environment", "series", "first_number", "last_number"], name="void_range_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.series}: {self.first_number}-{self.last_number} ({self.status})"


class StateTaxRate(models.Model):
    """Internal ICMS and FCP rates of each state, for DIFAL: data that staff keep current in the admin."""

    uf = models.CharField(max_length=2, primary_key=True, choices=UF_CHOICES)
    internal_rate = models.DecimalField(_("internal ICMS rate (%)"), max_digits=5, decimal_places=2)
    fcp_rate = models.DecimalField(_("FCP rate (%)"), max_digits=5, decimal_places=2, default=Decimal("0"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("state tax rate")
        verbose_name_plural = _("state tax rates")
        ordering = ["uf"]

    def __str__(self) -> str:
        return f"{self.uf}: {self.internal_rate}% + FCP {self.fcp_rate}%"


class Municipality(models.Model):
    """IBGE municipalities (cMun), with an accent- and case-free name for matching Amazon's free text."""

    code = models.CharField(max_length=7, primary_key=True)
    name = models.CharField(max_length=80)
    name_key = models.CharField(max_length=80, db_index=True)
    uf = models.CharField(max_length=2, choices=UF_CHOICES)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        indexes = [models.Index(fields=["uf", "name_key"])]

    def __str__(self) -> str:
        return f"{self.name}/{self.uf}"


class AuthorizerCircuit(models.Model):
    """Health of one SEFAZ authorizer as our calls see it (fiscal.circuit): opened after repeated timeouts."""

    key = models.CharField(max_length=20, primary_key=True, help_text="authorizer:environment, e.g. SVRS:2")
    failures = models.PositiveIntegerField(default=0)
    open_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("SEFAZ authorizer health")
        verbose_name_plural = _("SEFAZ authorizers health")

    def __str__(self) -> str:
        return self.key
