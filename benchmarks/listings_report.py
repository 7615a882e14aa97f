"""Load a 100,000-row listings report from the Amazon sandbox and print rows per second and peak memory.

Measures our path end to end except the database: createReport -> getReport (DONE) -> getReportDocument
-> streamed download, gunzip and TSV parse (integration.listings.reports.stream_rows). Then, separately,
the PostgreSQL upsert of the same rows (load_rows) when a database is reachable.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_listings .venv/bin/python benchmarks/listings_report.py [rows]
"""

import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import requests  # noqa: E402
from django.conf import settings  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from sandboxes.amazon.server import start_sandbox  # noqa: E402

SELLER = "A1SIMPLESSPDEMO"


def main(rows: int) -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from integration.listings.reports import request_report, stream_rows, wait_for_document
    from integration.listings.sync import load_rows
    from sellers.encryption import secret
    from tests.factories import AmazonAuthorizationFactory, SellerFactory
    from django.utils import timezone

    with tempfile.TemporaryDirectory() as tmp:
        handle = start_sandbox(None, Path(tmp) / "amazon.sqlite3", rate_scale=1000, publish_on_start=False)
        creds = handle.credentials()
        requests.post(f"{handle.url}/_sandbox/listings/settings", json={"reportDelaySeconds": 0.1}, timeout=10)
        made = requests.post(f"{handle.url}/_sandbox/listings/{SELLER}/generate",
                             json={"count": rows, "hybridEvery": 0, "twinEvery": 0}, timeout=600).json()["listings"]
        with override_settings(LWA_TOKEN_URL=creds["lwa_token_url"], SP_API_BASE_URL=creds["sp_api_base_url"],
                               LWA_CLIENT_ID=creds["client_id"], LWA_CLIENT_SECRET=creds["client_secret"],
                               LISTINGS_REPORT_POLL_SECONDS=0.2):
            from integration.client import SpApiClient
            from sellers.models import AmazonAuthorization

            AmazonAuthorization.objects.filter(selling_partner_id=SELLER).delete()
            seller = AmazonAuthorizationFactory(seller=SellerFactory(), selling_partner_id=SELLER,
                                                refresh_token=secret(creds["refresh_token"])).seller
            client = SpApiClient(seller)
            document_id = wait_for_document(client, request_report(client))  # the sandbox builds the TSV here
            tracemalloc.start()
            start = time.perf_counter()
            parsed = sum(1 for _ in stream_rows(client, document_id))
            parse_seconds = time.perf_counter() - start
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            start = time.perf_counter()
            stored, _ = load_rows(seller, stream_rows(client, document_id), timezone.now())
            store_seconds = time.perf_counter() - start
            seller.delete()
        handle.stop()
    print(f"listings generated: {made}, report rows parsed: {parsed}")
    print(f"download+gunzip+parse: {parsed / parse_seconds:,.0f} rows/s ({parse_seconds:.2f} s), "
          f"peak traced memory {peak / 2**20:.1f} MiB")
    print(f"download+parse+upsert into PostgreSQL: {stored / store_seconds:,.0f} rows/s ({store_seconds:.2f} s)")
    print(f"process max RSS (includes the in-process sandbox): "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB; database {settings.DATABASES['default']['NAME']}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
