from django.contrib import admin
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from sellers.admin_display import local

from .models import AuthorizerCircuit, Invoice, InvoiceEvent, InvoiceSeries, Municipality, NumberVoid, StateTaxRate


class InvoiceEventInline(admin.TabularInline):
    model = InvoiceEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "from_status", "to_status", "cstat", "message", "actor"]
    readonly_fields = fields
    ordering = ["created_at", "pk"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = ["number", "series", "seller", "order", "status", "cstat", "error_category", "amazon_status", "total", "issued"]
    list_select_related = ["seller", "order"]
    list_filter = ["status", "amazon_status", "error_category", "environment", "needs_cancellation", "seller"]
    search_fields = ["access_key", "order__amazon_order_id", "seller__cnpj", "protocol"]
    show_full_result_count = False
    inlines = [InvoiceEventInline]
    exclude = ["signed_xml", "authorized_xml"]
    readonly_fields = [
        "seller", "order", "model", "environment", "series", "number", "access_key", "cnf", "issued_at", "status",
        "total", "digest_value", "protocol", "authorized_at", "authorized_sha256", "receipt", "cstat", "xmotivo",
        "error_category", "error_message", "attempts", "next_attempt_at", "amazon_status", "amazon_error",
        "amazon_submitted_at", "amazon_accepted_at", "needs_cancellation", "cancelled_at", "documents",
    ]
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # fiscal records are kept (11 years); they change state, never disappear

    @admin.display(description=_("issued"), ordering="issued_at")
    def issued(self, obj):
        return local(obj.issued_at)

    @admin.display(description=_("documents"))
    def documents(self, obj):
        links = [format_html('<a href="{}">XML</a>', reverse("admin:fiscal_invoice_xml", args=[obj.pk]))]
        if obj.authorized_xml:
            links.append(format_html('<a href="{}">DANFE (PDF)</a>', reverse("admin:fiscal_invoice_danfe", args=[obj.pk])))
        return format_html(" · ".join(["{}"] * len(links)), *links)

    def get_urls(self):
        own = [
            path("<int:pk>/xml/", self.admin_site.admin_view(self.xml_view), name="fiscal_invoice_xml"),
            path("<int:pk>/danfe/", self.admin_site.admin_view(self.danfe_view), name="fiscal_invoice_danfe"),
        ]
        return own + super().get_urls()

    def xml_view(self, request, pk):
        invoice = get_object_or_404(Invoice, pk=pk)
        content = bytes(invoice.authorized_xml or invoice.signed_xml)
        kind = "procNFe" if invoice.authorized_xml else "NFe"
        response = HttpResponse(content, content_type="application/xml")
        response["Content-Disposition"] = f'attachment; filename="{invoice.access_key}-{kind}.xml"'
        return response

    def danfe_view(self, request, pk):
        invoice = get_object_or_404(Invoice, pk=pk)
        if not invoice.authorized_xml:
            raise Http404
        from fiscal.danfe import render_danfe

        response = HttpResponse(render_danfe(bytes(invoice.authorized_xml)), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{invoice.access_key}.pdf"'
        return response

    @admin.action(description=_("Fix done: send again"))
    def resend(self, request, queryset):
        from orders.services import resend_order

        count = sum(1 for invoice in queryset.select_related("order") if resend_order(invoice.order, actor=request.user.get_username()))
        self.message_user(request, _("%(n)d invoices put back in the flow.") % {"n": count})


@admin.register(InvoiceEvent)
class InvoiceEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "invoice", "kind", "from_status", "to_status", "cstat", "message"]
    list_select_related = ["invoice"]
    list_filter = ["kind", "to_status"]
    search_fields = ["invoice__access_key", "invoice__order__amazon_order_id", "cstat"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InvoiceSeries)
class InvoiceSeriesAdmin(admin.ModelAdmin):
    list_display = ["seller", "environment", "series", "next_number", "frozen_reason"]
    list_select_related = ["seller"]
    search_fields = ["seller__cnpj", "seller__legal_name"]
    readonly_fields = ["next_number"]


@admin.register(NumberVoid)
class NumberVoidAdmin(admin.ModelAdmin):
    list_display = ["seller", "series", "first_number", "last_number", "status", "cstat", "protocol", "created_at"]
    list_select_related = ["seller"]
    list_filter = ["status"]
    search_fields = ["seller__cnpj", "protocol"]
    readonly_fields = ["protocol", "cstat", "xmotivo", "done_at"]


@admin.register(StateTaxRate)
class StateTaxRateAdmin(admin.ModelAdmin):
    list_display = ["uf", "internal_rate", "fcp_rate", "updated_at"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "uf"]
    list_filter = ["uf"]
    search_fields = ["code", "name", "name_key"]
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AuthorizerCircuit)
class AuthorizerCircuitAdmin(admin.ModelAdmin):
    """Which SEFAZ authorizers our calls currently find sick, and until when their invoices wait."""

    list_display = ["key", "failures", "open_until", "last_error", "updated_at"]
    readonly_fields = ["key", "failures", "open_until", "last_error", "updated_at"]

    def has_add_permission(self, request):
        return False
