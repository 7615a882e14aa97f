"""Regenerate docs/screenshots/*.png from the real demo, as `make demo` shows it.

Everything runs as subprocesses against a throwaway SQLite database: migrate, seed_demo, the Amazon and SEFAZ
sandboxes, one sync_seller cycle per demo seller, then runserver and headless Chromium logged in as the sellers.
Nothing touches the database this command itself is configured with.
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from sellers import demo_data

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1280, "height": 900}
PAULISTA, MINEIRA = "A1SIMPLESSPDEMO", "A2NORMALMGDEMO"

# Run inside the demo database (manage.py shell): the ids of the objects worth a picture, as JSON.
FIND_IDS = f"""
import json
from fiscal.models import AmazonInvoiceStatus
from orders.models import Order, PreflightStatus
from products.models import Product
from sellers.models import Seller
paulista = Seller.objects.get(amazon_authorization__selling_partner_id={PAULISTA!r})
mineira = Seller.objects.get(amazon_authorization__selling_partner_id={MINEIRA!r})
product = Product.objects.filter(seller=paulista, tax_group__isnull=False).exclude(ncm="").order_by("sku").first()
print(json.dumps({{
    "accepted": Order.objects.filter(seller=paulista, invoices__amazon_status=AmazonInvoiceStatus.ACCEPTED)
        .order_by("purchase_date").first().pk,
    "blocked": Order.objects.filter(seller=mineira, preflight_status=PreflightStatus.BLOCKED)
        .order_by("purchase_date").first().pk,
    "product": product.pk,
    "tax_group": product.tax_group_id,
}}))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise CommandError(f"{what} did not start on port {port}")


def _demo_env(tmp: Path, amazon: int, sefaz: int) -> dict[str, str]:
    """The settings of .env.demo, with the sandboxes on free ports and the database in tmp. No SQS: sync is polled."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SQS_", "AWS_"))}
    return env | {
        "DATABASE_URL": f"sqlite:///{tmp / 'shots.sqlite3'}",
        "DEBUG": "1", "AXES_ENABLED": "0", "Q_SYNC": "1",
        "LWA_TOKEN_URL": f"http://127.0.0.1:{amazon}/auth/o2/token",
        "LWA_CONSENT_URL": f"http://127.0.0.1:{amazon}/apps/authorize/consent",
        "SP_API_BASE_URL": f"http://127.0.0.1:{amazon}",
        "LWA_CLIENT_ID": "amzn1.application-oa2-client.sandboxdemo0001",
        "LWA_CLIENT_SECRET": "amzn1.oa2-cs.v1.sandbox-demo-secret-0001",
        "SP_API_APPLICATION_ID": "amzn1.sp.solution.sandbox-demo-0001",
        "SEFAZ_BASE_URL_OVERRIDE": f"http://127.0.0.1:{sefaz}",
    }


class Command(BaseCommand):
    help = "Run the demo in a throwaway database and save screenshots of the main portal pages to docs/screenshots/."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "docs" / "screenshots"))

    def handle(self, *args, output, **options):
        if not Path(CHROMIUM).exists():
            raise CommandError("Install Debian's chromium first: apt-get install -y chromium")
        self.processes: list[subprocess.Popen] = []
        with tempfile.TemporaryDirectory(prefix="screenshots-") as tmp:
            try:
                base, ids = self._run_demo(Path(tmp))
                self._shoot(base, ids, Path(output))
            finally:
                self._stop_all()

    def _run_demo(self, tmp: Path) -> tuple[str, dict]:
        amazon, sefaz, web = _free_port(), _free_port(), _free_port()
        self.env = _demo_env(tmp, amazon, sefaz)
        self._manage("migrate", "--noinput", "-v", "0")
        self._manage("seed_demo")
        self._start("sefaz_sandbox", "--port", str(sefaz), "--db", str(tmp / "sefaz.sqlite3"))
        self._start("amazon_sandbox", "--port", str(amazon), "--scenario", demo_data.DEMO_SCENARIO,
                    "--db", str(tmp / "amazon.sqlite3"), "--invoice-delay", "0.5")
        _wait_for(sefaz, "SEFAZ sandbox")
        _wait_for(amazon, "Amazon sandbox")
        for seller in (PAULISTA, MINEIRA):
            self.stdout.write(self._manage("sync_seller", seller, "--once"))
        ids = json.loads(self._manage("shell", "--no-imports", "-c", FIND_IDS))
        self._start("runserver", f"127.0.0.1:{web}", "--noreload")
        _wait_for(web, "runserver")
        return f"http://127.0.0.1:{web}", ids

    def _manage(self, *args: str) -> str:
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=self.env,
                              capture_output=True, text=True)
        if done.returncode:
            raise CommandError(f"manage.py {args[0]} failed:\n{done.stderr[-2000:]}")
        return done.stdout

    def _start(self, *args: str) -> None:
        self.processes.append(subprocess.Popen([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR,
                                               env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))

    def _stop_all(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def _pages(self, ids: dict) -> dict[str, dict[str, str]]:
        """Per demo login, file name -> path. Mineira has the blocked orders and the expiring authorization."""
        return {
            "mineira": {
                "dashboard": reverse("portal:dashboard"),
                "orders": reverse("portal:order_list"),
                "order-blocked": reverse("portal:order_detail", args=[ids["blocked"]]),
                "products-incomplete": reverse("portal:product_list") + "?incompletos=1",
                "credentials": reverse("portal:credentials"),
            },
            "paulista": {
                "order-timeline": reverse("portal:order_detail", args=[ids["accepted"]]),
                "product-edit": reverse("portal:product_edit", args=[ids["product"]]),
                "tax-groups": reverse("portal:tax_groups"),
                "tax-group-edit": reverse("portal:tax_group_edit", args=[ids["tax_group"]]),
                "hybrid-offers": reverse("portal:hybrid_offers"),
                "monthly-export": reverse("portal:monthly_export"),
            },
        }

    def _shoot(self, base: str, ids: dict, output: Path) -> None:
        from playwright.sync_api import sync_playwright

        passwords = {data["username"]: data["password"] for data in demo_data.SELLERS.values()}
        output.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for username, pages in self._pages(ids).items():
                page = browser.new_context(viewport=VIEWPORT, locale="pt-BR").new_page()
                page.goto(base + reverse("portal:login"))
                if username == "mineira":
                    self._save(page, output, "login")
                page.fill("#id_username", username)
                page.fill("#id_password", passwords[username])
                page.click("button[type=submit]")
                page.wait_for_url(base + reverse("portal:dashboard"))
                for name, path in pages.items():
                    page.goto(base + path)
                    self._save(page, output, name)
                page.context.close()
            browser.close()

    def _save(self, page, output: Path, name: str) -> None:
        page.screenshot(path=str(output / f"{name}.png"), full_page=True)
        self.stdout.write(f"{name}.png")
