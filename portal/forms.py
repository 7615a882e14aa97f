"""Portal forms: every one rejects bad input with a message that says what to fix, and changes nothing."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from products.models import Origin, TaxGroup
from sellers.certificates import MAX_PFX_BYTES
from sellers.models import Seller

from .tax_groups import IPI_CST, PIS_COFINS_CST, icms_codes
from .webhooks import SUBSCRIBABLE_EVENTS, validate_endpoint_url

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


class TaxGroupForm(forms.ModelForm):
    """A seller's tax group; every refusal says which value is wrong and which one to use."""

    class Meta:
        model = TaxGroup
        fields = ["name", "cfop_internal", "cfop_interstate", "icms_cst", "icms_base_reduction", "icms_st_mva",
                  "pis_cst", "pis_rate", "cofins_cst", "cofins_rate", "ipi_cst", "ipi_rate", "ipi_cenq",
                  "ibs_cbs_enabled", "ibs_cbs_cst", "ibs_cbs_class"]

    def __init__(self, *args, seller: Seller, **kwargs):
        super().__init__(*args, **kwargs)
        self.seller = seller
        self.instance.seller = seller
        for name in ("cfop_internal", "cfop_interstate"):
            self.fields[name].validators = []  # the model's bare regex has no message: clean_* explains instead

    def _cfop(self, name: str, digit: str, where) -> str:
        value = (self.cleaned_data.get(name) or "").strip()
        if not (len(value) == 4 and value.isdigit() and value.startswith(digit)):
            raise forms.ValidationError(
                _("The CFOP for a sale %(where)s has 4 digits and starts with %(digit)s (e.g. %(digit)s102); "
                  "%(value)s does not."), params={"where": where, "digit": digit, "value": value or "—"})
        return value

    def clean_cfop_internal(self):
        return self._cfop("cfop_internal", "5", _("inside your state"))

    def clean_cfop_interstate(self):
        return self._cfop("cfop_interstate", "6", _("to another state"))

    def clean_icms_cst(self):
        value = (self.cleaned_data.get("icms_cst") or "").strip()
        simples = self.seller.is_simples
        allowed = icms_codes(is_simples=simples)
        if value not in allowed:
            message = _("Your company is in the Simples Nacional: use a 3-digit CSOSN (%(codes)s), not %(value)s.") \
                if simples else _("Your company is in the regime normal: use a 2-digit ICMS CST (%(codes)s), not "
                                  "%(value)s. CSOSN codes are for the Simples Nacional only.")
            raise forms.ValidationError(message, params={"codes": ", ".join(allowed), "value": value or "—"})
        return value

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        others = TaxGroup.objects.for_seller(self.seller).filter(name__iexact=name).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("You already have a tax group called %(name)s: choose another name."),
                                        params={"name": name})
        return name

    def clean(self):
        data = super().clean()
        self._check_codes(data)
        self._check_percentages(data)
        return data

    def _check_codes(self, data) -> None:
        for name, label in (("pis_cst", "PIS"), ("cofins_cst", "COFINS")):
            if name in data and data[name] not in PIS_COFINS_CST:
                self.add_error(name, _("The %(tax)s CST of a sale is 01 to 09, 49 or 99; %(value)s is not.")
                               % {"tax": label, "value": data[name] or "—"})
        if data.get("ipi_cst") and data["ipi_cst"] not in IPI_CST:
            self.add_error("ipi_cst", _("The IPI CST of a sale is 50 to 55 or 99; leave it empty if your company "
                                        "does not pay IPI."))
        if data.get("ibs_cbs_enabled") and not (data.get("ibs_cbs_cst", "").isdigit() and len(data["ibs_cbs_cst"]) == 3):
            self.add_error("ibs_cbs_cst", _("With the IBS/CBS groups on, the IBS/CBS CST has 3 digits (e.g. 000)."))
        if data.get("ibs_cbs_enabled") and not (data.get("ibs_cbs_class", "").isdigit() and len(data["ibs_cbs_class"]) == 6):
            self.add_error("ibs_cbs_class", _("With the IBS/CBS groups on, the cClassTrib has 6 digits (e.g. 000001)."))

    def _check_percentages(self, data) -> None:
        for name in ("icms_base_reduction", "pis_rate", "cofins_rate", "ipi_rate"):
            value = data.get(name)
            if value is not None and not 0 <= value <= 100:
                self.add_error(name, _("%(field)s is a percentage between 0 and 100; %(value)s is not.")
                               % {"field": self.fields[name].label, "value": value})
        mva = data.get("icms_st_mva")
        if mva is not None and mva < 0:
            self.add_error("icms_st_mva", _("The ICMS-ST MVA cannot be negative: use 0 when there is no ST."))


class WebhookEndpointForm(forms.Form):
    url = forms.URLField(label=_("Receiver URL"), max_length=500, assume_scheme="https",
                         help_text=_("HTTPS only. Your server receives a POST with a JSON body for each event."))
    events = forms.MultipleChoiceField(label=_("Events"), required=False, widget=forms.CheckboxSelectMultiple,
                                       help_text=_("None checked: every event."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["events"].choices = SUBSCRIBABLE_EVENTS

    def clean_url(self):
        url = self.cleaned_data["url"]
        validate_endpoint_url(url)
        return url
