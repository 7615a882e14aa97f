"""A product's fiscal attributes checked against the official tables and the seller's regime.

SEFAZ rejects an NF-e for each of these (778 NCM, 806 CEST, 611 GTIN, 3xx CST/CSOSN); catching them on the
product means the seller fixes one record once instead of one rejected invoice per sale.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fiscal import reference
from products.models import Origin, Product, TaxGroup
from sellers.documents import is_valid_gtin, only_digits

CSOSN_CODES = {"101", "102", "103", "201", "202", "203", "300", "400", "500", "900"}
CST_ICMS_CODES = {"00", "02", "10", "15", "20", "30", "40", "41", "50", "51", "53", "60", "61", "70", "90"}
UNSET = object()


@dataclass(frozen=True)
class FiscalIssue:
    code: str
    field: str
    message: str


def _ncm_issues(product: Product) -> list[FiscalIssue]:
    sku, ncm = product.sku, product.ncm
    if not ncm:
        return [FiscalIssue("ncm_missing", "ncm", _(
            "Product %(sku)s has no NCM. Enter the 8-digit NCM in Products > %(sku)s.") % {"sku": sku})]
    if len(ncm) != 8 or not ncm.isdigit():
        return [FiscalIssue("ncm_malformed", "ncm", _(
            "The NCM %(ncm)s of product %(sku)s must have 8 digits. Correct it in Products > %(sku)s.")
            % {"ncm": ncm, "sku": sku})]
    if not reference.ncm_exists(ncm):
        return [FiscalIssue("ncm_unknown", "ncm", _(
            "The NCM %(ncm)s of product %(sku)s is not in the official NCM table in force today. "
            "Choose a current NCM in Products > %(sku)s.") % {"ncm": ncm, "sku": sku})]
    return []


def _cest_issues(product: Product) -> list[FiscalIssue]:
    sku, cest, args = product.sku, product.cest, {"sku": product.sku, "cest": product.cest, "ncm": product.ncm}
    has_st = bool(product.tax_group_id and product.tax_group.has_icms_st)
    if not cest:
        if not has_st:
            return []
        return [FiscalIssue("cest_missing", "cest", _(
            "Product %(sku)s is under ICMS-ST (tax group) and has no CEST. Enter the 7-digit CEST in "
            "Products > %(sku)s.") % {"sku": sku})]
    if len(cest) != 7 or not cest.isdigit():
        return [FiscalIssue("cest_malformed", "cest", _(
            "The CEST %(cest)s of product %(sku)s must have 7 digits. Correct it in Products > %(sku)s.") % args)]
    if not reference.cest_exists(cest):
        return [FiscalIssue("cest_unknown", "cest", _(
            "The CEST %(cest)s of product %(sku)s is not in the official CEST table (Conv. ICMS 142/18). "
            "Correct it in Products > %(sku)s.") % args)]
    if product.ncm and not reference.cest_covers(cest, product.ncm):
        return [FiscalIssue("cest_ncm_mismatch", "cest", _(
            "The CEST %(cest)s does not cover the NCM %(ncm)s of product %(sku)s. Check both in "
            "Products > %(sku)s.") % args)]
    return []


def regime_matches(icms_cst: str, *, is_simples: bool) -> bool:
    """Simples Nacional sellers (CRT 1, 2, 4) use a 3-digit CSOSN; regime normal (CRT 3) a 2-digit CST."""
    return icms_cst in (CSOSN_CODES if is_simples else CST_ICMS_CODES)


def _tax_group_issues(product: Product) -> list[FiscalIssue]:
    sku = product.sku
    if not product.tax_group_id:
        return [FiscalIssue("tax_group_missing", "tax_group", _(
            "Product %(sku)s has no tax group. Choose one in Products > %(sku)s.") % {"sku": sku})]
    group, is_simples = product.tax_group, product.seller.is_simples
    if regime_matches(group.icms_cst, is_simples=is_simples):
        return []
    expected = _("a CSOSN (Simples Nacional)") if is_simples else _("a CST (regime normal)")
    return [FiscalIssue("regime_mismatch", "tax_group", _(
        "The tax group %(group)s of product %(sku)s uses ICMS code %(cst)s, but your tax regime needs %(expected)s. "
        "Correct it in Settings > Tax groups.") % {"group": group.name, "sku": sku, "cst": group.icms_cst,
                                                    "expected": expected})]


def _other_issues(product: Product) -> list[FiscalIssue]:
    issues = []
    if product.origin is None or product.origin not in Origin.values:
        issues.append(FiscalIssue("origin_missing", "origin", _(
            "Product %(sku)s has no origin (0 to 8). Choose it in Products > %(sku)s.") % {"sku": product.sku}))
    if product.gtin and product.gtin.upper() != "SEM GTIN" and not is_valid_gtin(product.gtin):
        issues.append(FiscalIssue("gtin_invalid", "gtin", _(
            "The GTIN/EAN %(gtin)s of product %(sku)s has a wrong check digit. Correct it or leave it empty in "
            "Products > %(sku)s.") % {"gtin": product.gtin, "sku": product.sku}))
    return issues


def product_fiscal_issues(product: Product) -> list[FiscalIssue]:
    """Everything about this product that would make SEFAZ reject its NF-e; empty when it is ready."""
    return _ncm_issues(product) + _cest_issues(product) + _other_issues(product) + _tax_group_issues(product)


def validate_product(product: Product) -> list[FiscalIssue]:
    """Check and store the issue codes on the product (`fiscal_issues`, `fiscal_checked_at`)."""
    issues = product_fiscal_issues(product)
    product.fiscal_issues = [issue.code for issue in issues]
    product.fiscal_checked_at = timezone.now()
    Product.objects.filter(pk=product.pk).update(
        fiscal_issues=product.fiscal_issues, fiscal_checked_at=product.fiscal_checked_at
    )
    return issues


def normalize_ncm(value) -> str:
    """'8517.13.00' -> '85171300'; other characters than digits and dots are kept so validation reports them."""
    return str(value or "").strip().replace(".", "").replace(" ", "")


def normalize_cest(value) -> str:
    return str(value or "").strip().replace(".", "").replace(" ", "")


def _apply(product: Product, *, ncm, cest, origin, tax_group) -> None:
    if ncm is not UNSET:
        product.ncm = normalize_ncm(ncm)
    if cest is not UNSET:
        product.cest = normalize_cest(cest)
    if origin is not UNSET:
        product.origin = None if origin in (None, "") else int(origin)
    if tax_group is not UNSET:
        if tax_group is not None and tax_group.seller_id != product.seller_id:
            raise ValueError("tax group of another seller")
        product.tax_group = tax_group


def update_fiscal_attributes(
    product: Product, *, ncm=UNSET, cest=UNSET, origin=UNSET, tax_group: "TaxGroup | None | object" = UNSET
) -> list[FiscalIssue]:
    """Save the given attributes, revalidate, and re-run pre-flight on the seller's orders this blocked."""
    _apply(product, ncm=ncm, cest=cest, origin=origin, tax_group=tax_group)
    with transaction.atomic():
        product.save(update_fields=["ncm", "cest", "origin", "tax_group", "updated_at"])
        issues = validate_product(product)
    recheck_blocked_orders(product.seller, skus=[product.sku])
    return issues


def recheck_blocked_orders(seller, *, skus: list[str]) -> int:
    """Run pre-flight again on the seller's blocked orders with these SKUs; returns how many were released."""
    from fiscal.preflight import run_preflight  # pre-flight imports this module
    from orders.models import Order

    orders = Order.objects.for_seller(seller).blocked().filter(items__sku__in=skus).distinct()
    return sum(1 for order in orders if run_preflight(order))


def revalidate_seller(seller) -> int:
    """Revalidate every product of the seller (after a table reload or a regime change); returns how many have issues."""
    products = list(Product.objects.for_seller(seller).select_related("tax_group", "seller"))
    now = timezone.now()
    for product in products:
        product.fiscal_issues = [issue.code for issue in product_fiscal_issues(product)]
        product.fiscal_checked_at = now
    Product.objects.bulk_update(products, ["fiscal_issues", "fiscal_checked_at"], batch_size=1000)
    return sum(1 for product in products if product.fiscal_issues)

