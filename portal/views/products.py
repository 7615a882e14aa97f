"""Products: the list with "dados fiscais incompletos", the fiscal edit, bulk import/export (CSV and XLSX)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from orders.models import Order
from products import bulk
from products.fiscal_validation import product_fiscal_issues, update_fiscal_attributes
from products.models import Product

from ..access import seller_view
from ..issues import issue_attr
from ..forms import BulkImportForm, ProductFiscalForm

PAGE_SIZE = 50
EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@seller_view
def product_list(request):
    products = Product.objects.for_seller(request.seller).select_related("tax_group")
    incomplete = request.GET.get("incompletos") == "1"
    if incomplete:
        products = products.fiscal_incomplete()
    query = request.GET.get("q", "").strip()
    if query:
        products = products.filter(Q(sku__icontains=query) | Q(title__icontains=query) | Q(asin__iexact=query))
    page = Paginator(products.order_by("sku"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/product_list.html", {"page": page, "incomplete": incomplete, "q": query})


def _blocked_orders_with(product: Product) -> set[int]:
    return set(Order.objects.for_seller(product.seller).blocked().filter(items__product=product).values_list("pk", flat=True))


def _apply_fiscal_form(request, product: Product, form: ProductFiscalForm) -> bool:
    """Call the same validation as pre-flight; issues become form errors and nothing is saved."""
    blocked_before = _blocked_orders_with(product)
    issues = update_fiscal_attributes(product, **form.cleaned_data)
    for issue in issues or []:
        field = issue_attr(issue, "field")
        form.add_error(field if field in form.fields else None, issue_attr(issue, "message"))
    if issues:
        return False
    released = len(blocked_before - _blocked_orders_with(product))
    messages.success(request, _("Fiscal data saved. Orders released: %(n)d.") % {"n": released})
    return True


@seller_view
def product_edit(request, pk: int):
    product = get_object_or_404(Product.objects.for_seller(request.seller), pk=pk)
    initial = {"ncm": product.ncm, "cest": product.cest, "origin": product.origin, "tax_group": product.tax_group_id}
    form = ProductFiscalForm(request.POST or None, initial=initial, seller=request.seller)
    if request.method == "POST" and form.is_valid() and _apply_fiscal_form(request, product, form):
        return redirect("portal:product_edit", pk=product.pk)
    return render(request, "portal/product_edit.html", {
        "product": product, "form": form, "issues": product_fiscal_issues(product)})


@seller_view
def product_export(request, fmt: str):
    if fmt not in EXPORT_TYPES:
        messages.error(request, _("Export is available as CSV or XLSX only."))
        return redirect("portal:product_list")
    response = HttpResponse(bulk.export_fiscal_data(request.seller, fmt=fmt), content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="produtos-fiscal.{fmt}"'
    return response


@seller_view
def product_import(request):
    form = BulkImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = bulk.import_fiscal_data(request.seller, upload.read(), filename=upload.name)
    return render(request, "portal/product_import.html", {"form": form, "report": report})
