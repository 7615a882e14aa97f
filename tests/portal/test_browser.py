"""Headless Chromium (Debian's /usr/bin/chromium) against the live server: what a seller does with a mouse."""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from orders.models import Order, PreflightStatus
from sellers.models import Certificate
from tests.factories import PFX_PASSWORD
from tests.factories import test_pfx as make_pfx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture
def page(live_server):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed: apt-get install -y chromium")
    playwright_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API keeps an event loop in this thread; the ORM calls in these tests are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(accept_downloads=True, locale="pt-BR")
        yield context.new_page()
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def log_in(page, live_server, username="alice"):
    page.goto(live_server.url + reverse("portal:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", "senha-forte-123")
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + reverse("portal:dashboard"))


def test_a_seller_fixes_a_blocked_products_ncm_and_sees_the_order_released(page, live_server, world_a):
    log_in(page, live_server)
    page.click(f"a[href='{reverse('portal:product_edit', args=[world_a['incomplete'].pk])}']")
    page.fill("#id_ncm", "85183000")
    page.select_option("#id_origin", "0")
    page.select_option("#id_tax_group", str(world_a["tax_group"].pk))
    page.click("button[type=submit]:not(.link)")
    page.wait_for_selector(".msg-success")
    assert Order.objects.get(pk=world_a["blocked"].pk).preflight_status == PreflightStatus.OK
    page.goto(live_server.url + reverse("portal:dashboard"))
    assert world_a["blocked"].amazon_order_id not in page.inner_text("#attention-title + *")


def test_a_seller_uploads_a_certificate(page, live_server, seller_a, tmp_path):
    pfx = tmp_path / "empresa.pfx"
    pfx.write_bytes(make_pfx(seller_a.cnpj, 200))
    log_in(page, live_server)
    page.goto(live_server.url + reverse("portal:credentials"))
    page.set_input_files("#id_pfx", str(pfx))
    page.fill("#id_password", PFX_PASSWORD)
    page.click("form[enctype] button[type=submit]")
    page.wait_for_selector(".msg-success")
    assert Certificate.objects.for_seller(seller_a).get().days_left() >= 198
    assert page.inner_text(".days-left").strip().isdigit()


def test_a_seller_downloads_the_authorized_xml(page, live_server, world_a):
    log_in(page, live_server)
    page.goto(live_server.url + reverse("portal:order_detail", args=[world_a["order"].pk]))
    with page.expect_download() as download_info:
        page.click(f"a[href='{reverse('portal:invoice_xml', args=[world_a['invoice'].pk])}']")
    download = download_info.value
    assert download.suggested_filename == f"{world_a['invoice'].access_key}-procNFe.xml"
    assert b"<nfeProc" in Path(download.path()).read_bytes()
