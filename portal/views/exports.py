"""Monthly export for the accountant: a ZIP of the authorized XMLs, their DANFEs and a CSV summary."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fiscal.export import export_month

from ..access import seller_view
from ..forms import MonthExportForm


@seller_view
def monthly_export(request):
    today = timezone.localdate()
    form = MonthExportForm(request.GET or None, initial={"year": today.year, "month": today.month})
    if request.GET and form.is_valid():
        year, month = form.cleaned_data["year"], form.cleaned_data["month"]
        response = HttpResponse(export_month(request.seller, year, month), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="nfe-{year}-{month:02d}.zip"'
        return response
    return render(request, "portal/monthly_export.html", {"form": form})
