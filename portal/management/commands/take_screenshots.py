"""Regenerate docs/screenshots/*.png: demo data in the current database, a runserver, headless Chromium."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from portal.demo import DEMO_PASSWORD, DEMO_USERNAME, create_demo_data
from products.models import NCM

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1280, "height": 900}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise CommandError(f"runserver did not start on port {port}")


class Command(BaseCommand):
    help = "Create demo data and save screenshots of the main portal pages to docs/screenshots/."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "docs" / "screenshots"))

    def handle(self, *args, output, **options):
        if not Path(CHROMIUM).exists():
            raise CommandError("Install Debian's chromium first: apt-get install -y chromium")
        if not NCM.objects.exists():
            call_command("load_reference_data", verbosity=0)
        seller, objects = create_demo_data()
        pages = self._pages(objects)
        port = _free_port()
        env = {**os.environ, "DEBUG": "1", "AXES_ENABLED": "0", "Q_SYNC": "1"}
        server = subprocess.Popen([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                                  cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_for(port)
            self._shoot(f"http://127.0.0.1:{port}", pages, Path(output))
        finally:
            server.terminate()
            server.wait(timeout=10)

    def _pages(self, objects) -> dict[str, str]:
        return {
            "dashboard": reverse("portal:dashboard"),
            "orders": reverse("portal:order_list"),
            "order-timeline": reverse("portal:order_detail", args=[objects["accepted"].pk]),
            "order-blocked": reverse("portal:order_detail", args=[objects["blocked"].pk]),
            "products-incomplete": reverse("portal:product_list") + "?incompletos=1",
            "product-edit": reverse("portal:product_edit", args=[objects["product"].pk]),
            "tax-groups": reverse("portal:tax_groups"),
            "tax-group-edit": reverse("portal:tax_group_edit", args=[objects["product"].tax_group_id]),
            "credentials": reverse("portal:credentials"),
            "hybrid-offers": reverse("portal:hybrid_offers"),
            "monthly-export": reverse("portal:monthly_export"),
        }

    def _shoot(self, base: str, pages: dict[str, str], output: Path) -> None:
        from playwright.sync_api import sync_playwright

        output.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport=VIEWPORT, locale="pt-BR")
            page.goto(base + reverse("portal:login"))
            page.screenshot(path=str(output / "login.png"), full_page=True)
            page.fill("#id_username", DEMO_USERNAME)
            page.fill("#id_password", DEMO_PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state()
            for name, path in pages.items():
                page.goto(base + path)
                page.screenshot(path=str(output / f"{name}.png"), full_page=True)
                self.stdout.write(f"{name}.png")
            browser.close()
