"""The manual's four prerequisites, per seller: each green or red with the way to fix it.

Automatic invoicing starts only when all four are green, or when staff recorded an override on the seller.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _, ngettext

from products.models import Offer, Product
from sellers.models import AmazonAuthorization, Certificate, Seller


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    ok: bool
    title: str
    detail: str
    fix_url: str


def _amazon_item(seller: Seller, now) -> ChecklistItem:
    auth = AmazonAuthorization.objects.for_seller(seller).first()
    ok = bool(auth and auth.is_usable(now))
    if ok:
        detail = _("Valid until %(date)s.") % {"date": timezone.localtime(auth.expires_at).strftime("%d/%m/%Y")}
    elif auth is None:
        detail = _("Not authorized yet: click “Authorize” on the Credentials page.")
    else:
        detail = _("Expired or refused by Amazon: click “Renew” on the Credentials page.")
    return ChecklistItem("amazon", ok, _("Amazon authorization valid"), detail, reverse("portal:credentials"))


def _certificate_item(seller: Seller, now) -> ChecklistItem:
    cert = Certificate.objects.for_seller(seller).valid_at(now).order_by("-not_after").first()
    if cert:
        detail = _("A1 certificate valid until %(date)s.") % {"date": timezone.localtime(cert.not_after).strftime("%d/%m/%Y")}
    else:
        detail = _("No valid A1 certificate: upload the .pfx file and its password on the Credentials page.")
    return ChecklistItem("certificate", bool(cert), _("A1 certificate valid"), detail, reverse("portal:credentials"))


def _fiscal_item(seller: Seller) -> ChecklistItem:
    missing = Product.objects.for_seller(seller).active().fiscal_incomplete().count()
    if missing:
        detail = ngettext(
            "%(n)d active product without complete fiscal data (NCM, CEST, origin, tax group): fix it on Products.",
            "%(n)d active products without complete fiscal data (NCM, CEST, origin, tax group): fix them on Products.",
            missing,
        ) % {"n": missing}
    else:
        detail = _("Every active product has NCM, origin and tax group.")
    url = reverse("portal:product_list") + "?incompletos=1"
    return ChecklistItem("fiscal", missing == 0, _("Fiscal data of every active product"), detail, url)


def _hybrid_item(seller: Seller) -> ChecklistItem:
    hybrids = Offer.objects.for_seller(seller).hybrid().count()
    if hybrids:
        detail = ngettext(
            "%(n)d hybrid offer (same SKU sold by FBA Onsite and by your store): remove it on Hybrid offers.",
            "%(n)d hybrid offers (same SKU sold by FBA Onsite and by your store): remove them on Hybrid offers.",
            hybrids,
        ) % {"n": hybrids}
    else:
        detail = _("No hybrid offers.")
    return ChecklistItem("hybrids", hybrids == 0, _("No hybrid offers"), detail, reverse("portal:hybrid_offers"))


def onboarding_checklist(seller: Seller, now=None) -> list[ChecklistItem]:
    now = now or timezone.now()
    return [_amazon_item(seller, now), _certificate_item(seller, now), _fiscal_item(seller), _hybrid_item(seller)]


def invoicing_allowed(seller: Seller) -> bool:
    """True when every prerequisite is green, or staff recorded an override on the seller."""
    if seller.invoicing_override:
        return True
    return all(item.ok for item in onboarding_checklist(seller))


def render_checklist_html(seller: Seller) -> str:
    """The same four items for the seller's page in the admin: a green or red mark, the title and the fix."""
    rows = format_html_join(
        "", '<li><strong style="color:{}">{}</strong> {} — {}</li>',
        (("#1b7f3b" if i.ok else "#b00020", "✔" if i.ok else "✘", i.title, i.detail) for i in onboarding_checklist(seller)),
    )
    return format_html("<ul style=\"margin:0;padding-left:1em\">{}</ul>", rows)
