"""Portal forms: every one rejects bad input with a message that says what to fix, and changes nothing."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from products.models import Origin, TaxGroup
from sellers.certificates import MAX_PFX_BYTES
from sellers.models import Seller

MAX_IMPORT_BYTES = 10 * 1024 * 1024  # ~100k CSV rows of fiscal data; bigger files go through the API in parts


class ChooseSellerForm(forms.Form):
    seller = forms.ModelChoiceField(queryset=Seller.objects.filter(active=True), label=_("Seller"))


class ProductFiscalForm(forms.Form):
    ncm = forms.RegexField(
        regex=r"^\d{8}$", label=_("NCM"), max_length=8,
        error_messages={"invalid": _("The NCM has 8 digits, without dots (e.g. 85171231).")},
    )
    cest = forms.RegexField(
        regex=r"^\d{7}$", label=_("CEST"), max_length=7, required=False,
        error_messages={"invalid": _("The CEST has 7 digits, without dots (e.g. 2104700); leave empty if none.")},
    )
    origin = forms.TypedChoiceField(label=_("Origin"), choices=Origin.choices, coerce=int)
    tax_group = forms.ModelChoiceField(label=_("Tax group"), queryset=TaxGroup.objects.none())

    def __init__(self, *args, seller: Seller, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tax_group"].queryset = TaxGroup.objects.for_seller(seller).order_by("name")


class CertificateUploadForm(forms.Form):
    pfx = forms.FileField(label=_("A1 certificate file (.pfx or .p12)"))
    password = forms.CharField(label=_("Certificate password"), widget=forms.PasswordInput(render_value=False), strip=False)

    def clean_pfx(self):
        upload = self.cleaned_data["pfx"]
        if upload.size > MAX_PFX_BYTES:
            raise forms.ValidationError(
                _("The file is too large to be an A1 certificate (limit %(kb)d KB): export only the A1 .pfx."),
                params={"kb": MAX_PFX_BYTES // 1024},
            )
        return upload


class BulkImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB: split it into smaller files."))
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Send a .csv or .xlsx file exported from this page's template."))
        return upload


class MonthExportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("Month"), min_value=1, max_value=12)

    def clean(self):
        data = super().clean()
        year, month = data.get("year"), data.get("month")
        today = timezone.localdate()
        if year and month and (year, month) > (today.year, today.month):
            raise forms.ValidationError(_("Choose the current month or a past one."))
        return data


class HybridRemovalForm(forms.Form):
    offer_ids = forms.TypedMultipleChoiceField(label=_("Offers to remove"), coerce=int, choices=())

    def __init__(self, *args, offers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer_ids"].choices = [(o.pk, str(o)) for o in offers]
