"""Staff views of the integration's shared state. Read-only: every change goes through a service."""

from django.contrib import admin

from .models import ExpiryWarning, ImportCursor, ProcessedNotification, RateBucket


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ImportCursor)
class ImportCursorAdmin(ReadOnly):
    list_display = ["seller", "last_updated_before", "last_run_at", "resume_token_present", "last_error"]
    list_select_related = ["seller"]
    search_fields = ["seller__legal_name", "seller__cnpj"]

    @admin.display(boolean=True, description="window in progress")
    def resume_token_present(self, obj):
        return bool(obj.resume_token)


@admin.register(ProcessedNotification)
class ProcessedNotificationAdmin(ReadOnly):
    list_display = ["notification_id", "notification_type", "seller", "processed_at", "done_at"]
    list_filter = ["notification_type"]
    list_select_related = ["seller"]
    search_fields = ["notification_id"]
    show_full_result_count = False


@admin.register(RateBucket)
class RateBucketAdmin(ReadOnly):
    list_display = ["seller", "operation", "rate", "burst", "tokens", "updated_at"]
    list_filter = ["operation"]
    list_select_related = ["seller"]


@admin.register(ExpiryWarning)
class ExpiryWarningAdmin(ReadOnly):
    list_display = ["kind", "object_key", "threshold_days", "seller", "expires_at", "sent_at"]
    list_filter = ["kind", "threshold_days"]
    list_select_related = ["seller"]
