"""Every hybrid removal, listed for staff (read-only: it is a record)."""

from django.contrib import admin

from .models import HybridRemoval


@admin.register(HybridRemoval)
class HybridRemovalAdmin(admin.ModelAdmin):
    list_display = ["sku", "asin", "seller", "fulfillment_channel", "action", "outcome", "requested_by", "requested_at"]
    list_filter = ["outcome", "action"]
    list_select_related = ["seller", "requested_by"]
    search_fields = ["sku", "asin", "seller__cnpj", "seller__legal_name"]
    readonly_fields = [f.name for f in HybridRemoval._meta.fields]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
