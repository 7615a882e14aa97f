"""What the seller must act on: blocked or rejected orders with the screen that fixes each, expiring credentials."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fiscal.models import AmazonInvoiceStatus, ErrorCategory, Invoice, InvoiceStatus
from orders.models import Order, PreflightStatus
from products.models import Product
from sellers.models import AmazonAuthorization, Certificate, Seller

EXPIRY_WARNING_DAYS = 30
ATTENTION_LIMIT = 200  # the dashboard lists them all in practice; a bad day is tens, not thousands


@dataclass(frozen=True)
class AttentionItem:
    order: Order
    reason: str
    fix_url: str
    fix_label: str


@dataclass(frozen=True)
class Banner:
    level: str  # "warning" or "error"
    message: str
    url: str


def _incomplete_product(order: Order) -> Product | None:
    product_ids = order.items.exclude(product=None).values("product_id")
    return Product.objects.for_seller(order.seller).filter(pk__in=product_ids).fiscal_incomplete().first()


def fix_link(order: Order, category: str, fix_url_name: str = "", fix_object_id: int | None = None) -> tuple[str, str]:
    """(url, label) of the screen that fixes this kind of problem for this order."""
    if fix_url_name.startswith("portal:"):  # pre-flight names the page; "admin" means staff must act
        for args in ((fix_object_id,) if fix_object_id else (), (order.pk,)):
            try:
                return reverse(fix_url_name, args=args), _("Fix")
            except NoReverseMatch:
                continue
    if category in (ErrorCategory.FISCAL_ATTRIBUTES, ErrorCategory.TAX_DATA):
        product = _incomplete_product(order)
        if product:
            return reverse("portal:product_edit", args=[product.pk]), _("Fix product %(sku)s") % {"sku": product.sku}
        return reverse("portal:product_list") + "?incompletos=1", _("Fix products")
    if category == ErrorCategory.CREDENTIALS:
        return reverse("portal:credentials"), _("Renew credentials")
    return reverse("portal:order_detail", args=[order.pk]), _("See the order")


def _blocked_items(seller: Seller) -> list[AttentionItem]:
    items = []
    for order in Order.objects.for_seller(seller).blocked().order_by("-purchase_date")[:ATTENTION_LIMIT]:
        issue = (order.preflight_issues or [{}])[0]
        url, label = fix_link(order, issue.get("category", ""), issue.get("fix_url_name", ""), issue.get("fix_object_id"))
        reason = issue.get("message") or _("Pre-flight found data to fix before the NF-e can be issued.")
        items.append(AttentionItem(order, reason, url, label))
    return items


def _rejected_items(seller: Seller) -> list[AttentionItem]:
    failed = Q(status__in=[InvoiceStatus.REJECTED, InvoiceStatus.DENIED, InvoiceStatus.BLOCKED])
    failed |= Q(status=InvoiceStatus.AUTHORIZED, amazon_status=AmazonInvoiceStatus.ERRORED)
    invoices = Invoice.objects.for_seller(seller).filter(failed).select_related("order").order_by("-updated_at")
    items = []
    for invoice in invoices[:ATTENTION_LIMIT]:
        url, label = fix_link(invoice.order, invoice.error_category)
        reason = invoice.error_message or invoice.amazon_error or f"{invoice.cstat} {invoice.xmotivo}".strip()
        items.append(AttentionItem(invoice.order, reason or invoice.get_status_display(), url, label))
    return items


def attention_items(seller: Seller) -> list[AttentionItem]:
    """Every blocked or rejected order, once, with its reason in Portuguese and the link that fixes it."""
    seen, result = set(), []
    for item in _blocked_items(seller) + _rejected_items(seller):
        if item.order.pk not in seen:
            seen.add(item.order.pk)
            result.append(item)
    return result


def _expiry_banner(what: str, expires_at, now, url: str) -> Banner | None:
    if expires_at <= now:
        return Banner("error", _("%(what)s expired: invoicing is stopped until you renew it.") % {"what": what}, url)
    days = (expires_at - now).days
    if days <= EXPIRY_WARNING_DAYS:
        message = _("%(what)s expires in %(days)d days (%(date)s): renew it now.") % {
            "what": what, "days": days, "date": timezone.localtime(expires_at).strftime("%d/%m/%Y")}
        return Banner("warning", message, url)
    return None


def credential_banners(seller: Seller, now=None) -> list[Banner]:
    now = now or timezone.now()
    url = reverse("portal:credentials")
    banners = []
    auth = AmazonAuthorization.objects.for_seller(seller).first()
    if auth:
        banners.append(_expiry_banner(_("The Amazon authorization"), auth.expires_at, now, url))
    cert = Certificate.objects.for_seller(seller).filter(active=True).order_by("-not_after").first()
    if cert:
        banners.append(_expiry_banner(_("The A1 certificate"), cert.not_after, now, url))
    return [b for b in banners if b]
