"""Tax groups: the list, create and edit (VIEWER members only look); a save re-checks the orders it blocked."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from products.models import TaxGroup

from ..access import seller_view
from ..forms import TaxGroupForm
from ..tax_groups import icms_codes, revalidate_group


@seller_view
def tax_group_list(request):
    groups = TaxGroup.objects.for_seller(request.seller).annotate(product_count=Count("products")).order_by("name")
    return render(request, "portal/tax_group_list.html", {"groups": groups})


def _edit(request, group: TaxGroup | None):
    form = TaxGroupForm(request.POST or None, instance=group, seller=request.seller)
    if request.method == "POST":
        if form.is_valid():
            group = form.save()
            released = revalidate_group(group)
            messages.success(request, _("Tax group %(name)s saved. Blocked orders released: %(n)d.")
                             % {"name": group.name, "n": released})
            return redirect("portal:tax_group_edit", pk=group.pk)
    return render(request, "portal/tax_group_edit.html", {
        "form": form, "group": group, "icms_codes": icms_codes(is_simples=request.seller.is_simples),
    }, status=400 if form.errors else 200)


@seller_view
def tax_group_create(request):
    return _edit(request, None)


@seller_view
def tax_group_edit(request, pk: int):
    return _edit(request, get_object_or_404(TaxGroup.objects.for_seller(request.seller), pk=pk))
