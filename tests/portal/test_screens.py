"""Dashboard, orders, products, hybrid offers and the monthly export, as seller A sees them."""

import io
import zipfile
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from fiscal.models import InvoiceStatus
from orders.models import Order, PreflightStatus
from portal.metrics import percentile
from tests.factories import CertificateFactory, OrderFactory, ProductFactory

from .conftest import NFE_PROC, make_invoice


def test_dashboard_lists_the_blocked_order_first_with_its_reason_and_the_product_to_fix(client_a, world_a):
    response = client_a.get(reverse("portal:dashboard"))
    items = response.context["attention"]
    assert [i.order for i in items] == [world_a["blocked"]]
    assert items[0].reason == "O produto ALFA-SKU-2 está sem NCM."
    assert items[0].fix_url == reverse("portal:product_edit", args=[world_a["incomplete"].pk])


def test_a_preflight_issue_naming_its_page_and_object_links_there(client_a, world_a):
    blocked = world_a["blocked"]
    blocked.preflight_issues = [{"category": "credentials", "code": "x", "message": "m", "field": "",
                                 "fix_url_name": "portal:credentials", "fix_object_id": None}]
    blocked.save()
    assert client_a.get(reverse("portal:dashboard")).context["attention"][0].fix_url == reverse("portal:credentials")


def test_a_rejected_invoice_appears_with_the_sefaz_reason(client_a, world_a, seller_a):
    order = OrderFactory(seller=seller_a)
    make_invoice(order, number=12, status=InvoiceStatus.REJECTED, cstat="778", error_category="fiscal_attributes",
                 error_message="NCM inexistente no produto: corrija em Produtos.")
    reasons = [i.reason for i in client_a.get(reverse("portal:dashboard")).context["attention"]]
    assert "NCM inexistente no produto: corrija em Produtos." in reasons


def test_dashboard_warns_about_a_certificate_expiring_within_30_days(client_a, seller_a):
    CertificateFactory(seller=seller_a, days=20)
    banners = client_a.get(reverse("portal:dashboard")).context["banners"]
    assert [b.level for b in banners] == ["warning"]


def test_dashboard_figures_count_todays_orders_and_invoices_by_status(client_a, world_a):
    context = client_a.get(reverse("portal:dashboard")).context
    assert context["orders_today"] == 2
    assert [(s, n) for s, _label, n in context["invoices_by_status"]] == [("authorized", 1)]
    assert 1100 < context["p95_seconds"] < 1300  # accepted 20 minutes after the shipment was seen


def test_p95_is_the_nearest_rank_value():
    assert percentile(list(range(1, 101)), 95) == 95
    assert percentile([], 95) is None


def test_order_page_shows_the_whole_timeline_and_the_downloads(client_a, world_a):
    response = client_a.get(reverse("portal:order_detail", args=[world_a["order"].pk]))
    titles = [step.title for step in response.context["timeline"]]
    assert titles[:2] == ["Shipment at Amazon", "Pre-flight"] or len(titles) >= 5
    assert any("100 Autorizado" in step.message for step in response.context["timeline"])
    assert reverse("portal:invoice_xml", args=[world_a["invoice"].pk]).encode() in response.content
    assert not response.context["can_retry"]


def test_xml_download_is_the_nfeproc(client_a, world_a):
    response = client_a.get(reverse("portal:invoice_xml", args=[world_a["invoice"].pk]))
    assert response.content == NFE_PROC
    assert world_a["invoice"].access_key in response["Content-Disposition"]


def test_try_again_puts_a_blocked_order_back_through_preflight(client_a, world_a):
    blocked = world_a["blocked"]
    response = client_a.post(reverse("portal:order_resend", args=[blocked.pk]))
    assert response.status_code == 302
    blocked.refresh_from_db()
    assert blocked.preflight_status != PreflightStatus.BLOCKED or blocked.preflight_checked_at is not None


def test_incomplete_filter_shows_only_products_missing_fiscal_data(client_a, world_a):
    page = client_a.get(reverse("portal:product_list") + "?incompletos=1").context["page"]
    assert [p.sku for p in page] == ["ALFA-SKU-2"]


def test_fixing_the_ncm_releases_the_blocked_order(client_a, world_a):
    product, tax_group = world_a["incomplete"], world_a["tax_group"]
    response = client_a.post(reverse("portal:product_edit", args=[product.pk]),
                             {"ncm": "85183000", "cest": "", "origin": "0", "tax_group": tax_group.pk}, follow=True)
    assert response.status_code == 200
    world_a["blocked"].refresh_from_db()
    product.refresh_from_db()
    assert product.ncm == "85183000"
    assert world_a["blocked"].preflight_status == PreflightStatus.OK


def test_an_unknown_ncm_is_refused_with_the_preflight_message(client_a, world_a):
    product = world_a["incomplete"]
    response = client_a.post(reverse("portal:product_edit", args=[product.pk]),
                             {"ncm": "99999999", "origin": "0", "tax_group": world_a["tax_group"].pk})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Order.objects.get(pk=world_a["blocked"].pk).preflight_status == PreflightStatus.BLOCKED


def test_a_malformed_ncm_changes_nothing(client_a, world_a):
    product = world_a["incomplete"]
    response = client_a.post(reverse("portal:product_edit", args=[product.pk]), {"ncm": "12.3", "origin": "0"})
    assert "ncm" in response.context["form"].errors
    product.refresh_from_db()
    assert product.ncm == ""


def test_another_sellers_tax_group_cannot_be_chosen(client_a, world_a, seller_b):
    foreign = ProductFactory(seller=seller_b).tax_group
    response = client_a.post(reverse("portal:product_edit", args=[world_a["incomplete"].pk]),
                             {"ncm": "85183000", "origin": "0", "tax_group": foreign.pk})
    assert "tax_group" in response.context["form"].errors


def test_bulk_export_and_reimport_round_trip_as_csv_and_xlsx(client_a, world_a):
    for fmt in ("csv", "xlsx"):
        exported = client_a.get(reverse("portal:product_export", args=[fmt]))
        assert exported.status_code == 200
        upload = io.BytesIO(exported.content)
        upload.name = f"produtos.{fmt}"
        response = client_a.post(reverse("portal:product_import"), {"file": upload})
        assert response.context["report"] is not None


def test_bulk_import_reports_row_errors_and_applies_nothing(client_a, world_a):
    upload = io.BytesIO("sku;ncm;cest;origem;grupo_tributario\nALFA-SKU-1;99999999;;0;x\n".encode())
    upload.name = "produtos.csv"
    report = client_a.post(reverse("portal:product_import"), {"file": upload}).context["report"]
    assert report.errors
    world_a["product"].refresh_from_db()
    assert world_a["product"].ncm == "85183000"


def test_a_file_that_is_not_csv_or_xlsx_is_refused(client_a, world_a):
    upload = io.BytesIO(b"%PDF")
    upload.name = "produtos.pdf"
    response = client_a.post(reverse("portal:product_import"), {"file": upload})
    assert "file" in response.context["form"].errors


def test_hybrid_offers_are_listed(client_a, world_a):
    response = client_a.get(reverse("portal:hybrid_offers"))
    assert list(response.context["offers"]) == [world_a["offer"]]


def test_monthly_export_zips_xml_and_a_csv_summary(client_a, world_a, seller_a):
    now = timezone.localtime()
    response = client_a.get(reverse("portal:monthly_export"), {"year": now.year, "month": now.month})
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    key = world_a["invoice"].access_key
    assert archive.read(f"xml/{key}-procNFe.xml") == NFE_PROC
    summary = archive.read("resumo.csv").decode("utf-8-sig").splitlines()
    assert len(summary) == 2 and key in summary[1]


def test_monthly_export_refuses_a_future_month(client_a, world_a):
    future = timezone.localdate() + timedelta(days=40)
    response = client_a.get(reverse("portal:monthly_export"), {"year": future.year, "month": future.month})
    assert response.status_code == 200 and response.context["form"].errors
