"""The accountant's month: every NF-e authorized in the month (nfeProc XML + DANFE) and a CSV summary, zipped."""

import csv
import io
import logging
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from sellers.models import Seller

from .models import Invoice

log = logging.getLogger(__name__)
SAO_PAULO = ZoneInfo("America/Sao_Paulo")
CSV_HEADER = ["numero", "serie", "chave", "data_autorizacao", "destinatario", "documento_destinatario", "total", "status"]


def _month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """The month as the seller lives it (São Paulo time), not UTC: an NF-e at 22:00 on the 31st is that month's."""
    start = datetime(year, month, 1, tzinfo=SAO_PAULO)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=SAO_PAULO)
    return start, end


def month_invoices(seller: Seller, year: int, month: int):
    start, end = _month_bounds(year, month)
    return (
        Invoice.objects.for_seller(seller)
        .filter(authorized_at__gte=start, authorized_at__lt=end, authorized_xml__isnull=False)
        .select_related("order").order_by("series", "number")
    )


def _csv_row(invoice: Invoice) -> list[str]:
    when = invoice.authorized_at.astimezone(SAO_PAULO).strftime("%d/%m/%Y %H:%M")
    total = f"{invoice.total:.2f}".replace(".", ",")
    order = invoice.order
    return [str(invoice.number), str(invoice.series), invoice.access_key, when, order.buyer_name,
            order.buyer_document, total, invoice.get_status_display()]


def _danfe_renderer():
    try:
        from .danfe import render_danfe
    except ImportError:  # the DANFE module lands separately; the XML is the legal document anyway
        return None
    return render_danfe


def _add_danfe(archive: zipfile.ZipFile, key: str, xml: bytes, render_danfe) -> None:
    """A DANFE that fails to render must not cost the accountant the month's XMLs (the legal documents)."""
    try:
        archive.writestr(f"danfe/{key}.pdf", render_danfe(xml))
    except Exception:  # BrazilFiscalReport raises assorted errors on XML it cannot lay out
        log.exception("DANFE not rendered for NF-e %s; the XML is in the export", key)


def export_month(seller: Seller, year: int, month: int) -> bytes:
    """ZIP bytes: xml/<key>-procNFe.xml, danfe/<key>.pdf, resumo.csv (semicolon-separated, as Excel-BR opens it)."""
    render_danfe = _danfe_renderer()
    summary = io.StringIO()
    writer = csv.writer(summary, delimiter=";")
    writer.writerow(CSV_HEADER)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for invoice in month_invoices(seller, year, month):
            xml = bytes(invoice.authorized_xml)
            archive.writestr(f"xml/{invoice.access_key}-procNFe.xml", xml)
            if render_danfe:
                _add_danfe(archive, invoice.access_key, xml, render_danfe)
            writer.writerow(_csv_row(invoice))
        archive.writestr("resumo.csv", "\ufeff" + summary.getvalue())  # BOM: Excel reads the accents right
    return buffer.getvalue()
