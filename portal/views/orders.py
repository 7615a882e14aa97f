"""Orders: the list, the order page with its timeline, "tentar novamente", XML and DANFE downloads."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fiscal.models import Invoice, InvoiceStatus
from orders.models import Order, PreflightStatus

from .. import collaborators
from ..access import seller_view
from ..timeline import can_retry, order_timeline

PAGE_SIZE = 50


@seller_view
def order_list(request):
    orders = Order.objects.for_seller(request.seller).prefetch_related("invoices")
    status = request.GET.get("preflight", "")
    if status in PreflightStatus.values:
        orders = orders.filter(preflight_status=status)
    query = request.GET.get("q", "").strip()
    if query:
        orders = orders.filter(amazon_order_id__icontains=query)
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/order_list.html", {
        "page": page, "preflight": status, "q": query, "preflight_choices": PreflightStatus.choices,
    })


@seller_view
def order_detail(request, pk: int):
    order = get_object_or_404(Order.objects.for_seller(request.seller).prefetch_related("items"), pk=pk)
    return render(request, "portal/order_detail.html", {
        "order": order, "timeline": order_timeline(order), "can_retry": can_retry(order),
        "invoices": order.invoices.order_by("-created_at"),
    })


@require_POST
@seller_view
def order_resend(request, pk: int):
    order = get_object_or_404(Order.objects.for_seller(request.seller), pk=pk)
    resend = collaborators.resend_order()
    if resend is None:
        messages.error(request, _("Re-sending is not available yet: ask the agency's support."))
    else:
        resend(order, actor=request.user.get_username())
        messages.success(request, _("Order sent again: the timeline below shows each step as it happens."))
    return redirect("portal:order_detail", pk=order.pk)


def _authorized_invoice(request, pk: int) -> Invoice:
    invoice = get_object_or_404(Invoice.objects.for_seller(request.seller), pk=pk)
    if not invoice.authorized_xml:
        raise Http404(_("This NF-e has no authorized XML yet."))
    return invoice


@seller_view
def invoice_xml(request, pk: int):
    invoice = _authorized_invoice(request, pk)
    response = HttpResponse(bytes(invoice.authorized_xml), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{invoice.access_key}-procNFe.xml"'
    return response


@seller_view
def invoice_danfe(request, pk: int):
    invoice = _authorized_invoice(request, pk)
    render_danfe = collaborators.render_danfe()
    if render_danfe is None:
        messages.error(request, _("The DANFE is not available yet: download the XML instead."))
        return redirect("portal:order_detail", pk=invoice.order_id)
    response = HttpResponse(render_danfe(bytes(invoice.authorized_xml)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{invoice.access_key}-danfe.pdf"'
    return response
