"""Pre-flight: everything we can know is wrong with an order before a number is taken and SEFAZ is asked.

Each issue carries the manual's category (product fiscal attributes, buyer address, authorization/certificate,
tax data), a message that names the problem and where to fix it, and a stable `fix_url_name` the portal maps to
a page (`portal:product_edit` takes `fix_object_id`, the product pk). A blocked order loses nothing: fixing the
data and running pre-flight again (update_fiscal_attributes does it for products) releases it.
"""

from dataclasses import asdict, dataclass
from datetime import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _

from fiscal import reference
from fiscal.models import ErrorCategory, StateTaxRate
from orders.models import Order, OrderItem, PreflightStatus
from products.fiscal_validation import product_fiscal_issues
from products.models import Product
from sellers.documents import UF_CODES, cep_matches_uf, cnpj_root, is_valid_cnpj, is_valid_cpf, only_document_chars
from sellers.models import AmazonAuthorization

PRODUCT_EDIT = "portal:product_edit"
ORDER_DETAIL = "portal:order_detail"
CREDENTIALS = "portal:credentials"
TAX_GROUPS = "portal:tax_groups"
ADMIN = "admin"


@dataclass(frozen=True)
class PreflightIssue:
    category: ErrorCategory
    code: str
    message: str
    fix_url_name: str
    field: str = ""
    fix_object_id: int | None = None

    def as_dict(self) -> dict:
        return {**asdict(self), "category": str(self.category)}


# --- products -----------------------------------------------------------------------------------------

def _product_for(item: OrderItem, seller) -> Product | None:
    if item.product_id:
        return item.product
    return Product.objects.for_seller(seller).select_related("tax_group", "seller").filter(sku=item.sku).first()


def _product_issues(item: OrderItem, product: Product | None) -> list[PreflightIssue]:
    if product is None:
        return [PreflightIssue(ErrorCategory.FISCAL_ATTRIBUTES, "product_not_found", _(
            "SKU %(sku)s of this order is not registered. Register it in Products > New product with its NCM, "
            "origin and tax group.") % {"sku": item.sku}, ORDER_DETAIL, "sku")]
    issues = []
    for issue in product_fiscal_issues(product):
        tax = issue.code == "regime_mismatch"
        issues.append(PreflightIssue(
            ErrorCategory.TAX_DATA if tax else ErrorCategory.FISCAL_ATTRIBUTES, issue.code, issue.message,
            TAX_GROUPS if tax else PRODUCT_EDIT, issue.field, None if tax else product.pk))
    return issues


def _price_issues(item: OrderItem) -> list[PreflightIssue]:
    args = {"sku": item.sku}
    if item.quantity <= 0 or item.item_price <= 0:
        return [PreflightIssue(ErrorCategory.TAX_DATA, "price_not_positive", _(
            "Item %(sku)s has a zero or negative quantity or price. Check the order at Amazon; the agency's support "
            "can help.") % args, ORDER_DETAIL, "item_price")]
    if item.discount < 0 or item.discount > item.item_price + item.shipping_price:
        return [PreflightIssue(ErrorCategory.TAX_DATA, "discount_above_price", _(
            "The discount of item %(sku)s is larger than its price. Check the order at Amazon; the agency's support "
            "can help.") % args, ORDER_DETAIL, "discount")]
    return []


def _cfop_issues(order: Order, product: Product | None) -> list[PreflightIssue]:
    if not (product and product.tax_group_id and order.uf):
        return []
    internal = order.uf == order.seller.uf
    cfop = product.tax_group.cfop_internal if internal else product.tax_group.cfop_interstate
    if cfop[:1] == ("5" if internal else "6"):
        return []
    return [PreflightIssue(ErrorCategory.TAX_DATA, "cfop_destination_mismatch", _(
        "The tax group %(group)s uses CFOP %(cfop)s for a sale %(kind)s; it must start with %(digit)s. "
        "Correct it in Settings > Tax groups.") % {
            "group": product.tax_group.name, "cfop": cfop, "digit": "5" if internal else "6",
            "kind": _("inside your state") if internal else _("to another state")}, TAX_GROUPS, "cfop")]


def _item_issues(order: Order) -> list[PreflightIssue]:
    items = list(order.items.select_related("product__tax_group", "product__seller"))
    if not items:
        return [PreflightIssue(ErrorCategory.TAX_DATA, "order_without_items", _(
            "This order has no items. Import it again from Amazon in Orders > %(order)s.")
            % {"order": order.amazon_order_id}, ORDER_DETAIL)]
    issues = []
    for item in items:
        product = _product_for(item, order.seller)
        issues += _product_issues(item, product) + _price_issues(item) + _cfop_issues(order, product)
    return issues


# --- buyer ----------------------------------------------------------------------------------------------

def _address_problem(code: str, field: str, message: str) -> PreflightIssue:
    return PreflightIssue(ErrorCategory.BUYER_ADDRESS, code, message, ORDER_DETAIL, field)


def _missing_address_fields(order: Order) -> list[PreflightIssue]:
    labels = {"street": _("street"), "number": _("number (or S/N)"), "district": _("neighbourhood"),
              "city_name": _("municipality"), "uf": _("state (UF)"), "cep": _("CEP")}
    return [
        _address_problem(f"{name}_missing", name, _(
            "The buyer's address has no %(what)s. Complete it in Orders > %(order)s > Address.")
            % {"what": label, "order": order.amazon_order_id})
        for name, label in labels.items() if not getattr(order, name).strip()
    ]


def _inconsistent_address(order: Order) -> list[PreflightIssue]:
    args = {"order": order.amazon_order_id, "cep": order.cep, "uf": order.uf, "city": order.city_name}
    issues = []
    if order.cep and not cep_matches_uf(order.cep, order.uf):
        issues.append(_address_problem("cep_uf_mismatch", "cep", _(
            "The CEP %(cep)s is not a CEP of %(uf)s. Correct the CEP or the state in Orders > %(order)s > Address.")
            % args))
    if order.city_name and order.uf and not _city_code_fits(order.city_code, order.uf):
        issues.append(_address_problem("city_code_unknown", "city_code", _(
            "The municipality %(city)s/%(uf)s has no valid IBGE code. Choose the municipality from the list in "
            "Orders > %(order)s > Address.") % args))
    return issues


def _city_code_fits(code: str, uf: str) -> bool:
    return bool(reference.municipality_name(code)) and code[:2] == str(UF_CODES.get(uf, ""))


def _document_issues(order: Order) -> list[PreflightIssue]:
    doc, args = only_document_chars(order.buyer_document), {"order": order.amazon_order_id}
    if not doc:
        return [_address_problem("buyer_document_missing", "buyer_document", _(
            "The buyer's CPF/CNPJ is missing. Enter it in Orders > %(order)s > Buyer.") % args)]
    valid = is_valid_cpf(doc) if len(doc) == 11 else is_valid_cnpj(doc)
    if not valid:
        return [_address_problem("buyer_document_invalid", "buyer_document", _(
            "The buyer's CPF/CNPJ %(doc)s is invalid. Correct it in Orders > %(order)s > Buyer.")
            % {**args, "doc": order.buyer_document})]
    return _ie_issues(order, is_company=len(doc) == 14)


def _ie_issues(order: Order, *, is_company: bool) -> list[PreflightIssue]:
    indicator, ie, args = order.buyer_ie_indicator, order.buyer_ie.strip(), {"order": order.amazon_order_id}
    taxpayer = Order.BuyerIeIndicator.CONTRIBUINTE
    if indicator == taxpayer and not ie:
        message = _("The buyer is marked as an ICMS taxpayer but has no state registration (IE). Enter the IE or "
                    "change the indicator in Orders > %(order)s > Buyer.")
    elif indicator != taxpayer and ie:
        message = _("The buyer has a state registration (IE) but is not marked as an ICMS taxpayer. Fix the "
                    "indicator or remove the IE in Orders > %(order)s > Buyer.")
    elif indicator == taxpayer and not is_company:
        message = _("A buyer with a CPF cannot be marked as an ICMS taxpayer here. Fix the indicator in "
                    "Orders > %(order)s > Buyer.")
    else:
        return []
    return [_address_problem("buyer_ie_inconsistent", "buyer_ie", message % args)]


# --- credentials -------------------------------------------------------------------------------------------

def _credential(code: str, message: str) -> PreflightIssue:
    return PreflightIssue(ErrorCategory.CREDENTIALS, code, message, CREDENTIALS)


def _authorization_issues(seller, now: datetime) -> list[PreflightIssue]:
    try:
        auth = seller.amazon_authorization
    except ObjectDoesNotExist:
        return [_credential("amazon_authorization_missing", _(
            "Your Amazon account is not connected. Authorize our application in Settings > Credentials."))]
    if auth.state != AmazonAuthorization.State.ACTIVE:
        return [_credential("amazon_authorization_lost", _(
            "Amazon no longer accepts your authorization. Authorize our application again in Settings > Credentials."))]
    if auth.expires_at <= now:
        return [_credential("amazon_authorization_expired", _(
            "Your Amazon authorization expired on %(date)s (it lasts 365 days). Renew it in Settings > Credentials.")
            % {"date": timezone.localtime(auth.expires_at).strftime("%d/%m/%Y")})]
    return []


def _certificate_issues(seller, now: datetime) -> list[PreflightIssue]:
    certificates = list(seller.certificates.filter(active=True).order_by("-not_after"))
    if not certificates:
        return [_credential("certificate_missing", _(
            "There is no A1 certificate. Upload your e-CNPJ A1 (.pfx) in Settings > Credentials."))]
    cert = next((c for c in certificates if c.not_before <= now < c.not_after), certificates[0])
    date = {"date": timezone.localtime(cert.not_after).strftime("%d/%m/%Y")}
    if cert.not_after <= now:
        return [_credential("certificate_expired", _(
            "Your A1 certificate expired on %(date)s. Upload the renewed certificate in Settings > Credentials.") % date)]
    if cert.not_before > now:
        return [_credential("certificate_not_yet_valid", _(
            "Your A1 certificate is not valid yet (it starts on %(date)s). Check the computer's date or upload the "
            "current certificate in Settings > Credentials.") % {"date": timezone.localtime(cert.not_before).strftime("%d/%m/%Y")})]
    if cnpj_root(cert.subject_cnpj) != cnpj_root(seller.cnpj):
        return [_credential("certificate_other_cnpj", _(
            "The A1 certificate belongs to another company (CNPJ %(cnpj)s). Upload the certificate of your own CNPJ "
            "in Settings > Credentials.") % {"cnpj": cert.subject_cnpj})]
    return []


# --- tax data ------------------------------------------------------------------------------------------------

def _rate_issues(order: Order) -> list[PreflightIssue]:
    """DIFAL (EC 87/2015): interstate sale to a non-taxpayer needs the destination state's internal rate."""
    difal = order.uf and order.uf != order.seller.uf and \
        order.buyer_ie_indicator != Order.BuyerIeIndicator.CONTRIBUINTE
    if not difal or StateTaxRate.objects.filter(uf=order.uf).exists():
        return []
    return [PreflightIssue(ErrorCategory.TAX_DATA, "state_rate_missing", _(
        "There is no ICMS rate registered for %(uf)s, needed for the DIFAL of this interstate sale. The agency's "
        "support must register it in the admin (State tax rates).") % {"uf": order.uf}, ADMIN, "uf")]


def check_order(order: Order, *, now: datetime | None = None) -> list[PreflightIssue]:
    """Every problem that would stop this order's NF-e, in the order the seller should fix them."""
    now = now or timezone.now()
    seller = order.seller
    return (
        _item_issues(order) + _missing_address_fields(order) + _inconsistent_address(order)
        + _document_issues(order) + _authorization_issues(seller, now) + _certificate_issues(seller, now)
        + _rate_issues(order)
    )


def run_preflight(order: Order, *, now: datetime | None = None) -> bool:
    """Check and store the outcome on the order; True when the order may be invoiced."""
    issues = check_order(order, now=now)
    order.preflight_status = PreflightStatus.BLOCKED if issues else PreflightStatus.OK
    order.preflight_issues = [issue.as_dict() for issue in issues]
    order.preflight_checked_at = timezone.now()
    Order.objects.filter(pk=order.pk).update(
        preflight_status=order.preflight_status, preflight_issues=order.preflight_issues,
        preflight_checked_at=order.preflight_checked_at,
    )
    return not issues
