from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _, ngettext

from .models import WebhookDelivery, WebhookEndpoint
from .webhooks import replay_delivery


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["seller", "url", "events", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["url", "seller__legal_name", "seller__cnpj"]
    list_select_related = ["seller"]
    autocomplete_fields = ["seller"]
    fields = ["seller", "url", "events", "active", "created_at"]  # the secret is never shown
    readonly_fields = ["created_at"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "endpoint", "event", "status", "attempts", "response_status", "next_attempt_at"]
    list_filter = ["status", "event"]
    search_fields = ["endpoint__url", "endpoint__seller__legal_name"]
    list_select_related = ["endpoint__seller"]
    readonly_fields = ["endpoint", "event", "payload", "status", "attempts", "next_attempt_at", "response_status",
                       "response_body", "last_error", "replay_of", "created_at", "delivered_at"]
    show_full_result_count = False
    actions = ["replay"]

    @admin.action(description=_("Replay the selected deliveries"))
    def replay(self, request, queryset):
        replays = [replay_delivery(d) for d in queryset.select_related("endpoint")]
        self.message_user(request, ngettext("%(n)d delivery queued again.", "%(n)d deliveries queued again.",
                                            len(replays)) % {"n": len(replays)}, messages.SUCCESS)

    def has_add_permission(self, request):
        return False
