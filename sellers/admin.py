from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .admin_display import days_left_badge, local
from .certificates import CertificateError
from .models import AmazonAuthorization, Certificate, Seller, SellerUser
from .services import install_certificate


class SellerUserInline(admin.TabularInline):
    model = SellerUser
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Seller)
class SellerAdmin(admin.ModelAdmin):
    list_display = ["__str__", "cnpj", "uf", "crt", "nfe_environment", "nfe_series", "active", "invoicing_override", "time_to_accepted"]
    list_filter = ["uf", "crt", "nfe_environment", "active", "invoicing_override"]
    search_fields = ["legal_name", "trade_name", "cnpj"]
    readonly_fields = ["invoicing_override_by", "invoicing_override_at", "created_at", "onboarding_checklist", "time_to_accepted"]
    inlines = [SellerUserInline]
    fieldsets = [
        (None, {"fields": ["legal_name", "trade_name", "cnpj", "ie", "crt", "simples_credit_rate", "active"]}),
        (_("Address"), {"fields": ["street", "number", "complement", "district", "city_name", "city_code", "uf", "cep", "phone", "email"]}),
        (_("NF-e"), {"fields": ["nfe_environment", "nfe_series", "time_to_accepted"]}),
        (_("Onboarding"), {"fields": ["onboarding_checklist", "invoicing_override", "invoicing_override_by", "invoicing_override_at"]}),
    ]

    @admin.display(description=_("Onboarding checklist"))
    def onboarding_checklist(self, obj):
        try:
            from portal.checklist import render_checklist_html
        except ImportError:
            return "-"
        return render_checklist_html(obj) if obj.pk else "-"

    @admin.display(description=_("shipment → Amazon Accepted (p50 / p95 / slowest today)"))
    def time_to_accepted(self, obj):
        from orders.status import latency_summary

        summary = latency_summary(obj) if obj.pk else None
        if not summary or not summary.count:
            return "-"
        fmt = lambda v: "-" if v is None else f"{v:.0f}s"  # noqa: E731
        return f"{fmt(summary.p50)} / {fmt(summary.p95)} / {fmt(summary.slowest_today)} ({summary.count})"

    def save_model(self, request, obj, form, change):
        if "invoicing_override" in form.changed_data:
            # The override is a decision someone must own: record who and when.
            obj.invoicing_override_by = request.user.get_username() if obj.invoicing_override else ""
            obj.invoicing_override_at = timezone.now() if obj.invoicing_override else None
        super().save_model(request, obj, form, change)


@admin.register(SellerUser)
class SellerUserAdmin(admin.ModelAdmin):
    list_display = ["user", "seller", "role"]
    list_select_related = ["user", "seller"]
    list_filter = ["role"]
    search_fields = ["user__username", "seller__legal_name", "seller__cnpj"]
    autocomplete_fields = ["user", "seller"]


@admin.register(AmazonAuthorization)
class AmazonAuthorizationAdmin(admin.ModelAdmin):
    list_display = ["seller", "selling_partner_id", "state", "authorized", "expires", "days_left_display", "last_success"]
    list_select_related = ["seller"]
    list_filter = ["state"]
    search_fields = ["seller__legal_name", "seller__cnpj", "selling_partner_id"]
    # The refresh token is never shown: it is not in `fields` at all.
    fields = ["seller", "selling_partner_id", "marketplace_id", "authorized_at", "state", "last_success_at", "last_checked_at", "last_error"]
    readonly_fields = ["last_success_at", "last_checked_at", "last_error"]
    autocomplete_fields = ["seller"]

    def has_add_permission(self, request):
        return False  # created only by the Login-with-Amazon flow or seed data, with a real refresh token

    @admin.display(description=_("authorized"), ordering="authorized_at")
    def authorized(self, obj):
        return local(obj.authorized_at)

    @admin.display(description=_("expires"))
    def expires(self, obj):
        return local(obj.expires_at)

    @admin.display(description=_("days left"), ordering="authorized_at")
    def days_left_display(self, obj):
        return days_left_badge(obj.days_left())

    @admin.display(description=_("last success"))
    def last_success(self, obj):
        return local(obj.last_success_at)


class CertificateUploadForm(forms.ModelForm):
    pfx_file = forms.FileField(label=_("Certificate file (.pfx/.p12)"), required=True)
    pfx_password = forms.CharField(label=_("Certificate password"), widget=forms.PasswordInput(render_value=False))

    class Meta:
        model = Certificate
        fields = ["seller"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["seller", "subject_cnpj", "serial_number", "valid_from", "valid_until", "days_left_display", "active"]
    list_select_related = ["seller"]
    list_filter = ["active"]
    search_fields = ["seller__legal_name", "seller__cnpj", "subject_cnpj", "serial_number"]
    readonly_fields = ["subject_name", "subject_cnpj", "serial_number", "issuer_name", "not_before", "not_after", "fingerprint_sha256", "uploaded_at"]
    fields = ["seller", "active", *readonly_fields]
    autocomplete_fields = ["seller"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = CertificateUploadForm
            kwargs["fields"] = ["seller", "pfx_file", "pfx_password"]
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return ["seller", "pfx_file", "pfx_password"] if obj is None else super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def add_view(self, request, form_url="", extra_context=None):
        if request.method == "POST":
            return self._upload(request) or super().add_view(request, form_url, extra_context)
        return super().add_view(request, form_url, extra_context)

    def _upload(self, request):
        from django.shortcuts import redirect

        form = CertificateUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return None
        try:
            cert = install_certificate(
                form.cleaned_data["seller"], pfx=form.cleaned_data["pfx_file"].read(), password=form.cleaned_data["pfx_password"]
            )
        except CertificateError as exc:
            messages.error(request, str(exc))
            return redirect(request.path)
        messages.success(request, _("Certificate installed: valid until %(date)s.") % {"date": local(cert.not_after)})
        return redirect("admin:sellers_certificate_changelist")

    @admin.display(description=_("valid from"), ordering="not_before")
    def valid_from(self, obj):
        return local(obj.not_before)

    @admin.display(description=_("valid until"), ordering="not_after")
    def valid_until(self, obj):
        return local(obj.not_after)

    @admin.display(description=_("days left"), ordering="not_after")
    def days_left_display(self, obj):
        return days_left_badge(obj.days_left())
