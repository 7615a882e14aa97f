"""Hybrid offers: the list, the preview of what will be removed, the confirmation, and the removals made."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from integration.listings.hybrids import preview_removal, remove_hybrids
from integration.listings.models import HybridRemoval
from products.models import Offer

from ..access import seller_view
from ..forms import HybridRemovalForm

RECENT_REMOVALS = 50  # the page shows the latest; the admin keeps every one


def _why(removal: HybridRemoval) -> str:
    issues = (removal.amazon_response or {}).get("issues") or []
    return removal.error or " ".join(str(i.get("message", "")) for i in issues if isinstance(i, dict))


def _report(request, removals: list[HybridRemoval]) -> None:
    accepted = sum(1 for r in removals if r.outcome == HybridRemoval.Outcome.ACCEPTED)
    if accepted:
        messages.success(request, _("Amazon removed %(n)d merchant-fulfilled offer(s).") % {"n": accepted})
    for removal in removals:
        if removal.outcome != HybridRemoval.Outcome.ACCEPTED:
            messages.error(request, _("SKU %(sku)s was not removed (%(outcome)s): %(error)s Try again later on this "
                                      "page.") % {"sku": removal.sku, "outcome": removal.get_outcome_display(),
                                                  "error": _why(removal)})


@seller_view
def hybrid_offers(request):
    offers = Offer.objects.for_seller(request.seller).hybrid().select_related("product").order_by("sku", "pk")
    form = HybridRemovalForm(request.POST or None, offers=offers)
    if request.method == "POST" and form.is_valid():
        _report(request, remove_hybrids(request.seller, form.cleaned_data["offer_ids"], actor=request.user))
        return redirect("portal:hybrid_offers")
    removals = HybridRemoval.objects.for_seller(request.seller).select_related("requested_by")[:RECENT_REMOVALS]
    return render(request, "portal/hybrid_offers.html", {
        "offers": offers, "form": form, "preview": preview_removal(request.seller), "removals": removals,
    })
