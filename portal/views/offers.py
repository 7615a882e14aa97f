"""Hybrid offers: the list, the preview of what will be removed, and the confirmation."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from products.models import Offer

from .. import collaborators
from ..access import seller_view
from ..forms import HybridRemovalForm


def _preview(seller):
    preview = collaborators.preview_hybrid_removal()
    return preview(seller) if preview else None


@seller_view
def hybrid_offers(request):
    offers = Offer.objects.for_seller(request.seller).hybrid().select_related("product").order_by("sku")
    form = HybridRemovalForm(request.POST or None, offers=offers)
    if request.method == "POST" and form.is_valid():
        remove = collaborators.remove_hybrids()
        if remove is None:
            form.add_error(None, _("Removal is not available yet: ask the agency's support."))
        else:
            remove(request.seller, form.cleaned_data["offer_ids"], request.user.get_username())
            messages.success(request, _("Removal sent to Amazon: the list updates when Amazon confirms."))
            return redirect("portal:hybrid_offers")
    return render(request, "portal/hybrid_offers.html", {
        "offers": offers, "form": form, "preview": _preview(request.seller),
    })
