"""Admin actions on Offer for staff, across many sellers: preview, then remove, the merchant side of hybrids.

Two steps, as the seller's consent requires: "preview" lists exactly what would go (nothing is sent);
"remove" enqueues one task per seller for the selected offers and the removals are recorded."""

from collections import defaultdict

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_q.tasks import async_task

from sellers.models import Seller

from . import admin as _hybrid_removal_admin  # noqa: F401 - registers HybridRemovalAdmin
from . import hybrids


def _by_seller(queryset) -> dict[int, list[int]]:
    grouped = defaultdict(list)
    for seller_id, offer_id in queryset.hybrid().values_list("seller_id", "pk"):
        grouped[seller_id].append(offer_id)
    return grouped


@admin.action(description=gettext_lazy("Preview removal of hybrid offers (merchant-fulfilled side)"))
def preview_hybrid_removal(modeladmin, request, queryset):
    plans = [plan for seller_id, ids in _by_seller(queryset).items()
             for plan in hybrids.preview_removal(Seller.objects.get(pk=seller_id), ids)]
    for plan in plans[:50]:  # the rest is summed up below; a message list longer than that helps nobody
        modeladmin.message_user(request, f"{plan.offer.seller}: {plan.description_pt}", messages.INFO)
    modeladmin.message_user(request, _("%(count)d merchant-fulfilled offers would be removed. Select them and run "
                                       "\"Remove hybrid offers\" to confirm.") % {"count": len(plans)})


def remove_hybrids_task(seller_id: int, offer_ids: list[int], actor_id: int) -> int:
    from django.contrib.auth import get_user_model

    seller = Seller.objects.get(pk=seller_id)
    return len(hybrids.remove_hybrids(seller, offer_ids, actor=get_user_model().objects.get(pk=actor_id)))


@admin.action(description=gettext_lazy("Remove hybrid offers (merchant-fulfilled side), as previewed"))
def remove_hybrid_offers(modeladmin, request, queryset):
    grouped = _by_seller(queryset)
    for seller_id, ids in grouped.items():
        transaction.on_commit(lambda s=seller_id, i=ids: async_task(remove_hybrids_task, s, i, request.user.pk))
    modeladmin.message_user(request, _("Removal of hybrid offers queued for %(count)d sellers; see \"Hybrid offer "
                                       "removals\" for Amazon's answers.") % {"count": len(grouped)})


ACTIONS = [preview_hybrid_removal, remove_hybrid_offers]
