from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Order, OrderItem


class OrderItemInline(admin.TabularInline):
    model = OrderItem
    extra = 0
    fields = ["sku", "title", "product", "quantity", "item_price", "shipping_price", "discount"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["amazon_order_id", "seller", "amazon_status", "purchase_date", "buyer_name", "uf", "order_total", "preflight_status"]
    list_select_related = ["seller"]
    list_filter = ["preflight_status", "amazon_status", "uf", "is_fba_onsite", "seller"]
    search_fields = ["amazon_order_id", "shipment_id", "seller__cnpj", "items__sku", "buyer_document"]
    date_hierarchy = "purchase_date"
    inlines = [OrderItemInline]
    readonly_fields = ["preflight_issues", "preflight_checked_at", "raw_address", "imported_at", "updated_at", "shipment_seen_at"]
    autocomplete_fields = ["seller"]
    show_full_result_count = False
    actions = ["resend"]

    @admin.action(description=_("Fix done: re-run pre-flight and send again"))
    def resend(self, request, queryset):
        from orders.services import resend_order

        count = sum(1 for order in queryset if resend_order(order, actor=request.user.get_username()))
        self.message_user(request, _("%(n)d orders put back in the flow.") % {"n": count})
