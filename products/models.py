"""Products with their fiscal attributes, tax groups, Amazon offers, and the official NCM and CEST tables."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from sellers.models import Seller
from sellers.tenancy import SellerQuerySet


class NCM(models.Model):
    """Nomenclatura Comum do Mercosul, eight-digit codes from the official Siscomex table."""

    code = models.CharField(max_length=8, primary_key=True)
    description = models.TextField()
    valid_from = models.DateField(null=True)
    valid_until = models.DateField(null=True)

    class Meta:
        verbose_name = "NCM"
        verbose_name_plural = "NCM"

    def __str__(self) -> str:
        return f"{self.code} {self.description[:60]}"


class CEST(models.Model):
    """Código Especificador da Substituição Tributária (Conv. ICMS 142/18) and the NCM prefixes it covers."""

    code = models.CharField(max_length=7, primary_key=True)
    segment = models.CharField(max_length=2)
    description = models.TextField()
    ncm_prefixes = models.TextField(help_text="Comma-separated NCM codes or prefixes")

    class Meta:
        verbose_name = "CEST"
        verbose_name_plural = "CEST"

    def __str__(self) -> str:
        return f"{self.code} {self.description[:60]}"

    def covers(self, ncm: str) -> bool:
        return any(ncm.startswith(prefix) for prefix in self.ncm_prefixes.split(",") if prefix)


class Origin(models.IntegerChoices):
    """orig of the ICMS group (Tabela A of the CST)."""

    NACIONAL = 0, _("0 - National")
    ESTRANGEIRA_IMPORTACAO_DIRETA = 1, _("1 - Foreign, direct import")
    ESTRANGEIRA_MERCADO_INTERNO = 2, _("2 - Foreign, bought in the domestic market")
    NACIONAL_IMPORTADO_40 = 3, _("3 - National, imported content above 40%")
    NACIONAL_PPB = 4, _("4 - National, basic production processes")
    NACIONAL_IMPORTADO_ATE_40 = 5, _("5 - National, imported content up to 40%")
    ESTRANGEIRA_SEM_SIMILAR_DIRETA = 6, _("6 - Foreign, direct import, no national equivalent (CAMEX)")
    ESTRANGEIRA_SEM_SIMILAR_INTERNO = 7, _("7 - Foreign, domestic market, no national equivalent (CAMEX)")
    NACIONAL_IMPORTADO_70 = 8, _("8 - National, imported content above 70%")

    @classmethod
    def imported(cls) -> set[int]:
        """Origins taxed at 4% on interstate operations (Res. Senado 13/2012)."""
        return {1, 2, 3, 8}


class TaxGroup(models.Model):
    """A seller's tax rules for a family of products: CFOP by destination and the CST/CSOSN of each tax."""

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="tax_groups")
    name = models.CharField(_("name"), max_length=80)
    cfop_internal = models.CharField(_("CFOP, same state"), max_length=4, default="5102", validators=[RegexValidator(r"^5\d{3}$")])
    cfop_interstate = models.CharField(_("CFOP, other state"), max_length=4, default="6108", validators=[RegexValidator(r"^6\d{3}$")])
    icms_cst = models.CharField(
        _("ICMS CST (regime normal) or CSOSN (Simples)"), max_length=3,
        help_text=_("CST 00, 10, 20, 40, 41, 60, 90 or CSOSN 101, 102, 103, 201, 202, 300, 400, 500, 900"),
    )
    icms_base_reduction = models.DecimalField(_("ICMS base reduction (%)"), max_digits=5, decimal_places=2, default=Decimal("0"))
    icms_st_mva = models.DecimalField(_("ICMS-ST MVA (%)"), max_digits=6, decimal_places=2, default=Decimal("0"))
    pis_cst = models.CharField(_("PIS CST"), max_length=2, default="01")
    pis_rate = models.DecimalField(_("PIS rate (%)"), max_digits=6, decimal_places=4, default=Decimal("1.65"))
    cofins_cst = models.CharField(_("COFINS CST"), max_length=2, default="01")
    cofins_rate = models.DecimalField(_("COFINS rate (%)"), max_digits=6, decimal_places=4, default=Decimal("7.60"))
    ipi_cst = models.CharField(_("IPI CST"), max_length=2, blank=True, help_text=_("Empty when the seller is not an IPI taxpayer"))
    ipi_rate = models.DecimalField(_("IPI rate (%)"), max_digits=6, decimal_places=2, default=Decimal("0"))
    ipi_cenq = models.CharField(_("IPI legal framework code (cEnq)"), max_length=3, default="999")
    ibs_cbs_enabled = models.BooleanField(_("emit IBS/CBS groups (NT 2025.002)"), default=False)
    ibs_cbs_cst = models.CharField(_("IBS/CBS CST"), max_length=3, default="000")
    ibs_cbs_class = models.CharField(_("cClassTrib"), max_length=6, default="000001")

    objects = SellerQuerySet.as_manager()

    class Meta:
        verbose_name = _("tax group")
        verbose_name_plural = _("tax groups")
        constraints = [models.UniqueConstraint(fields=["seller", "name"], name="tax_group_name_per_seller")]

    def __str__(self) -> str:
        return f"{self.name} ({self.icms_cst})"

    @property
    def has_icms_st(self) -> bool:
        return self.icms_cst in {"10", "30", "60", "70", "201", "202", "203", "500"}


class ProductQuerySet(SellerQuerySet):
    def active(self):
        return self.filter(active=True)

    def fiscal_incomplete(self):
        """Missing NCM/origin/tax group, an NCM not in the official table, or a stored validation issue."""
        known_ncm = Exists(NCM.objects.filter(code=OuterRef("ncm")))
        return self.annotate(_ncm_known=known_ncm).filter(
            Q(ncm="") | Q(origin__isnull=True) | Q(tax_group__isnull=True) | Q(_ncm_known=False) | ~Q(fiscal_issues=[])
        )

    def fiscal_complete(self):
        return self.exclude(pk__in=self.fiscal_incomplete().values("pk"))


class Product(models.Model):
    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="products")
    sku = models.CharField(_("SKU"), max_length=60)
    asin = models.CharField(_("ASIN"), max_length=10, blank=True)
    title = models.CharField(_("title"), max_length=120)
    gtin = models.CharField(_("GTIN/EAN"), max_length=14, blank=True)
    unit = models.CharField(_("commercial unit"), max_length=6, default="UN")
    ncm = models.CharField(_("NCM"), max_length=8, blank=True)
    cest = models.CharField(_("CEST"), max_length=7, blank=True)
    origin = models.PositiveSmallIntegerField(
        _("origin"), choices=Origin.choices, null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(8)]
    )
    tax_group = models.ForeignKey(TaxGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="products")
    active = models.BooleanField(_("active"), default=True)
    # Result of the last fiscal validation (products.fiscal_validation), as a list of issue codes.
    fiscal_issues = models.JSONField(default=list, blank=True, editable=False)
    fiscal_checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["sku"]
        constraints = [models.UniqueConstraint(fields=["seller", "sku"], name="product_sku_per_seller")]
        indexes = [models.Index(fields=["seller", "ncm"]), models.Index(fields=["asin"])]

    def __str__(self) -> str:
        return f"{self.sku} - {self.title}"


class OfferQuerySet(SellerQuerySet):
    def hybrid(self):
        return self.filter(is_hybrid=True)


class Offer(models.Model):
    """One fulfillment channel of one SKU on Amazon (a listing's `fulfillmentAvailability` entry)."""

    MERCHANT_CHANNEL = "DEFAULT"

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="offers")
    product = models.ForeignKey(Product, on_delete=models.SET_NULL, null=True, blank=True, related_name="offers")
    sku = models.CharField(_("SKU"), max_length=60)
    asin = models.CharField(_("ASIN"), max_length=10, blank=True)
    fulfillment_channel = models.CharField(_("fulfillment channel"), max_length=20, default=MERCHANT_CHANNEL)
    is_fba_onsite = models.BooleanField(_("FBA Onsite"), default=False)
    status = models.CharField(_("status"), max_length=20, blank=True)
    quantity = models.IntegerField(_("quantity"), null=True, blank=True)
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2, null=True, blank=True)
    is_hybrid = models.BooleanField(_("hybrid"), default=False, db_index=True)
    issues = models.JSONField(default=list, blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            models.UniqueConstraint(fields=["seller", "sku", "fulfillment_channel"], name="offer_channel_per_sku"),
        ]
        indexes = [models.Index(fields=["seller", "asin"])]

    def __str__(self) -> str:
        return f"{self.sku} [{self.fulfillment_channel}]"

    @property
    def is_merchant_fulfilled(self) -> bool:
        return self.fulfillment_channel == self.MERCHANT_CHANNEL
