"""Dashboard: "precisa de atenção" first, then the day's figures and the onboarding checklist."""

from django.shortcuts import render

from ..access import seller_view
from ..attention import attention_items, credential_banners
from ..checklist import invoicing_allowed, onboarding_checklist
from ..metrics import invoices_by_status, orders_today, p95_seconds_to_accepted


@seller_view
def dashboard(request):
    seller = request.seller
    checklist = onboarding_checklist(seller)
    return render(request, "portal/dashboard.html", {
        "attention": attention_items(seller),
        "banners": credential_banners(seller),
        "orders_today": orders_today(seller),
        "invoices_by_status": invoices_by_status(seller),
        "p95_seconds": p95_seconds_to_accepted(seller),
        "checklist": checklist,
        "invoicing_allowed": seller.invoicing_override or all(i.ok for i in checklist),
    })


@seller_view
def checklist(request):
    items = onboarding_checklist(request.seller)
    return render(request, "portal/checklist.html", {
        "checklist": items, "invoicing_allowed": invoicing_allowed(request.seller),
    })
