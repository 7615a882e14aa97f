from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from integration.listings import admin_actions as hybrid_actions

from .models import CEST, NCM, Offer, Product, TaxGroup


class FiscalDataFilter(admin.SimpleListFilter):
    title = _("fiscal data")
    parameter_name = "fiscal"

    def lookups(self, request, model_admin):
        return [("incomplete", _("Fiscal data incomplete")), ("complete", _("Fiscal data complete"))]

    def queryset(self, request, queryset):
        if self.value() == "incomplete":
            return queryset.fiscal_incomplete()
        if self.value() == "complete":
            return queryset.fiscal_complete()
        return queryset


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["sku", "title", "seller", "asin", "ncm", "cest", "origin", "tax_group", "fiscal_issues", "active"]
    list_select_related = ["seller", "tax_group"]
    list_filter = [FiscalDataFilter, "active", "origin", "seller"]
    search_fields = ["sku", "asin", "title", "ncm", "gtin", "seller__cnpj"]
    autocomplete_fields = ["seller", "tax_group"]
    readonly_fields = ["fiscal_issues", "fiscal_checked_at", "updated_at"]
    show_full_result_count = False
    actions = ["revalidate"]

    @admin.action(description=_("Re-validate fiscal data against the official tables"))
    def revalidate(self, request, queryset):
        from products.fiscal_validation import validate_product

        count = 0
        for product in queryset.select_related("tax_group", "seller"):
            validate_product(product)
            count += 1
        self.message_user(request, _("%(n)d products re-validated.") % {"n": count})


@admin.register(TaxGroup)
class TaxGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "seller", "icms_cst", "cfop_internal", "cfop_interstate", "pis_cst", "cofins_cst", "ipi_cst", "ibs_cbs_enabled"]
    list_select_related = ["seller"]
    list_filter = ["icms_cst", "ibs_cbs_enabled"]
    search_fields = ["name", "seller__legal_name", "seller__cnpj"]
    autocomplete_fields = ["seller"]


class HybridFilter(admin.SimpleListFilter):
    title = _("hybrid")
    parameter_name = "hybrid"

    def lookups(self, request, model_admin):
        return [("yes", _("Hybrid")), ("no", _("Not hybrid"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(is_hybrid=self.value() == "yes")
        return queryset


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["sku", "asin", "seller", "fulfillment_channel", "is_fba_onsite", "status", "quantity", "price", "is_hybrid", "synced_at"]
    list_select_related = ["seller"]
    list_filter = [HybridFilter, "fulfillment_channel", "is_fba_onsite", "status"]
    search_fields = ["sku", "asin", "seller__cnpj", "seller__legal_name"]
    autocomplete_fields = ["seller", "product"]
    readonly_fields = ["is_hybrid", "issues", "synced_at"]
    show_full_result_count = False
    actions = hybrid_actions.ACTIONS


@admin.register(NCM)
class NCMAdmin(admin.ModelAdmin):
    list_display = ["code", "description", "valid_from", "valid_until"]
    search_fields = ["code", "description"]
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):
        return False  # official table, loaded by `load_reference_data`


@admin.register(CEST)
class CESTAdmin(admin.ModelAdmin):
    list_display = ["code", "segment", "description"]
    search_fields = ["code", "description", "ncm_prefixes"]

    def has_change_permission(self, request, obj=None):
        return False
