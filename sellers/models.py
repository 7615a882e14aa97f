"""Sellers, their portal users, their Amazon authorization and their A1 certificate."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .documents import UF_CHOICES, is_valid_cnpj, only_document_chars
from .encryption import EncryptedBinaryField, EncryptedTextField
from .tenancy import SellerQuerySet

AMAZON_BR_MARKETPLACE_ID = "A2Q3Y263D00KWC"
AUTHORIZATION_LIFETIME = timedelta(days=365)  # public SP-API apps must be re-authorized every 365 days


def validate_cnpj(value: str) -> None:
    if not is_valid_cnpj(value):
        raise ValidationError(_("Invalid CNPJ: check the digits."), code="invalid_cnpj")


class TaxRegime(models.IntegerChoices):
    """CRT of the NF-e emitter."""

    SIMPLES_NACIONAL = 1, _("Simples Nacional")
    SIMPLES_EXCESSO = 2, _("Simples Nacional - gross revenue above the sub-limit")
    REGIME_NORMAL = 3, _("Regime normal")
    MEI = 4, _("Simples Nacional - MEI")


class Environment(models.IntegerChoices):
    """tpAmb of the NF-e."""

    PRODUCAO = 1, _("Production")
    HOMOLOGACAO = 2, _("Homologation (test)")


class Seller(models.Model):
    legal_name = models.CharField(_("legal name"), max_length=60)
    trade_name = models.CharField(_("trade name"), max_length=60, blank=True)
    cnpj = models.CharField(_("CNPJ"), max_length=14, unique=True, validators=[validate_cnpj])
    ie = models.CharField(_("state registration (IE)"), max_length=14, validators=[RegexValidator(r"^(\d{2,14}|ISENTO)$")])
    crt = models.PositiveSmallIntegerField(_("tax regime (CRT)"), choices=TaxRegime.choices)
    # Emitter address (enderEmit): every field the NF-e needs, with the IBGE municipality code.
    street = models.CharField(_("street"), max_length=60)
    number = models.CharField(_("number"), max_length=60)
    complement = models.CharField(_("complement"), max_length=60, blank=True)
    district = models.CharField(_("neighbourhood"), max_length=60)
    city_code = models.CharField(_("IBGE municipality code"), max_length=7, validators=[RegexValidator(r"^\d{7}$")])
    city_name = models.CharField(_("municipality"), max_length=60)
    uf = models.CharField(_("state (UF)"), max_length=2, choices=UF_CHOICES)
    cep = models.CharField(_("CEP"), max_length=8, validators=[RegexValidator(r"^\d{8}$")])
    phone = models.CharField(_("phone"), max_length=14, blank=True)
    email = models.EmailField(_("e-mail for alerts"), blank=True)
    nfe_series = models.PositiveSmallIntegerField(
        _("NF-e series"), default=1, help_text=_("A series reserved for this system, so no other ERP collides with it.")
    )
    nfe_environment = models.PositiveSmallIntegerField(
        _("NF-e environment"), choices=Environment.choices, default=Environment.HOMOLOGACAO
    )
    simples_credit_rate = models.DecimalField(
        _("Simples Nacional ICMS credit rate (pCredSN, %)"), max_digits=5, decimal_places=2, default=0
    )
    invoicing_override = models.BooleanField(
        _("staff override: invoice even with red prerequisites"), default=False
    )
    invoicing_override_by = models.CharField(max_length=150, blank=True, editable=False)
    invoicing_override_at = models.DateTimeField(null=True, blank=True, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("seller")
        verbose_name_plural = _("sellers")
        ordering = ["legal_name"]

    def __str__(self) -> str:
        return self.trade_name or self.legal_name

    def clean(self) -> None:
        self.cnpj = only_document_chars(self.cnpj)

    @property
    def is_simples(self) -> bool:
        return self.crt in (TaxRegime.SIMPLES_NACIONAL, TaxRegime.SIMPLES_EXCESSO, TaxRegime.MEI)

    @property
    def active_certificate(self):
        return self.certificates.filter(active=True).order_by("-not_after").first()


class SellerUser(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        OPERATOR = "operator", _("Operator")
        VIEWER = "viewer", _("Viewer (read only)")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seller_membership")
    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="members")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.OWNER)

    objects = SellerQuerySet.as_manager()

    class Meta:
        verbose_name = _("seller user")
        verbose_name_plural = _("seller users")

    def __str__(self) -> str:
        return f"{self.user} @ {self.seller}"

    @property
    def can_change(self) -> bool:
        return self.role != self.Role.VIEWER


class AmazonAuthorizationQuerySet(SellerQuerySet):
    def expiring_within(self, days: int):
        limit = timezone.now() - AUTHORIZATION_LIFETIME + timedelta(days=days)
        return self.filter(state=AmazonAuthorization.State.ACTIVE, authorized_at__lte=limit)


class AmazonAuthorization(models.Model):
    """The seller's consent to our SP-API app: a refresh token valid for 365 days from `authorized_at`."""

    class State(models.TextChoices):
        ACTIVE = "active", _("Active")
        LOST = "lost", _("Lost (Amazon refused the token)")
        REVOKED = "revoked", _("Revoked")

    seller = models.OneToOneField(Seller, on_delete=models.CASCADE, related_name="amazon_authorization")
    selling_partner_id = models.CharField(_("selling partner id"), max_length=32, unique=True)
    marketplace_id = models.CharField(max_length=20, default=AMAZON_BR_MARKETPLACE_ID)
    refresh_token = EncryptedTextField()
    authorized_at = models.DateTimeField(_("authorized at"))
    last_success_at = models.DateTimeField(_("last successful use"), null=True, blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.ACTIVE)
    last_error = models.TextField(_("last error"), blank=True)

    objects = AmazonAuthorizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Amazon authorization")
        verbose_name_plural = _("Amazon authorizations")

    def __str__(self) -> str:
        return f"{self.seller} ({self.selling_partner_id})"

    @property
    def expires_at(self):
        return self.authorized_at + AUTHORIZATION_LIFETIME

    def days_left(self, now=None) -> int:
        return (self.expires_at - (now or timezone.now())).days

    def is_usable(self, now=None) -> bool:
        return self.state == self.State.ACTIVE and self.expires_at > (now or timezone.now())


class CertificateQuerySet(SellerQuerySet):
    def valid_at(self, when):
        return self.filter(active=True, not_before__lte=when, not_after__gt=when)


class Certificate(models.Model):
    """The seller's ICP-Brasil e-CNPJ A1: the .pfx and its password, encrypted; metadata in clear for expiry."""

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="certificates")
    pfx = EncryptedBinaryField()
    password = EncryptedTextField()
    subject_name = models.CharField(_("subject"), max_length=255)
    subject_cnpj = models.CharField(_("certificate CNPJ"), max_length=14)
    serial_number = models.CharField(_("serial number"), max_length=64)
    issuer_name = models.CharField(_("issuer"), max_length=255)
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"))
    fingerprint_sha256 = models.CharField(_("SHA-256 fingerprint"), max_length=64)
    active = models.BooleanField(default=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("A1 certificate")
        verbose_name_plural = _("A1 certificates")
        constraints = [
            models.UniqueConstraint(fields=["seller", "fingerprint_sha256"], name="certificate_once_per_seller"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_name} ({self.not_after:%d/%m/%Y})"

    def days_left(self, now=None) -> int:
        return (self.not_after - (now or timezone.now())).days
