"""Orders: the list, the order page with its timeline, "tentar novamente", XML and DANFE downloads."""

import logging

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fiscal.danfe import render_danfe
from fiscal.models import Invoice
from orders.models import Order, PreflightStatus
from orders.services import resend_order

from ..access import seller_view
from ..timeline import can_retry, order_timeline

log = logging.getLogger(__name__)
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
    if resend_order(order, actor=request.user.get_username()):
        messages.success(request, _("Order sent again: the timeline below shows each step as it happens."))
    else:
        messages.info(request, _("Nothing to re-send: this NF-e is authorized and Amazon accepted it."))
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
    pdf = danfe_or_none(bytes(invoice.authorized_xml))
    if pdf is None:
        messages.error(request, _("The DANFE could not be printed from this NF-e's XML: download the XML, which is "
                                  "the legal document, and tell the agency's support."))
        return redirect("portal:order_detail", pk=invoice.order_id)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{invoice.access_key}-danfe.pdf"'
    return response


def danfe_or_none(xml: bytes) -> bytes | None:
    """The PDF, or None when BrazilFiscalReport cannot lay out this XML (logged: it means a bad stored XML)."""
    try:
        return render_danfe(xml)
    except Exception:  # the library raises assorted parse/layout errors; the XML stays downloadable
        log.exception("DANFE rendering failed")
        return None
