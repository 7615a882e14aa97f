"""Import 10,000 orders from the Amazon sandbox and print orders per second and queries per order.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/orders_import.py [--orders N]

Creates a throwaway test database (test_<name>), starts the sandbox in-process with a generated scenario and
its rate limits scaled up (Amazon's searchOrders allows one page every 3 minutes: 100 pages would take 5 h),
and times `import_orders` for one seller, pages of 100 orders with every dataset included.
"""

import argparse
import copy
import json
import os
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")


def scenario(count: int) -> dict:
    demo = json.loads((Path(__file__).resolve().parents[1] / "sandboxes/amazon/scenarios/demo.json").read_text())
    template = next(o for o in demo["orders"] if o["sellingPartnerId"] == "A1SIMPLESSPDEMO")
    start = datetime.now(timezone.utc) - timedelta(days=2)
    orders = []
    for n in range(count):
        entry = copy.deepcopy(template)
        stamp = (start + timedelta(seconds=10 * n)).strftime("%Y-%m-%dT%H:%M:%SZ")
        entry["order"].update(orderId=f"702-{5000000 + n:07d}-{n:07d}", createdTime=stamp, lastUpdatedTime=stamp)
        entry["order"]["orderItems"][0]["orderItemId"] = f"{n:014d}"
        entry["order"]["orderItems"][0]["product"]["sellerSku"] = f"SKU-{n % 50:03d}"
        orders.append(entry)
    return {**demo, "orders": orders, "shipments": []}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=10_000)
    count = parser.parse_args().orders

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings, setup_test_environment

    setup_test_environment()
    test_db = connection.creation.create_test_db(verbosity=0)
    try:
        run(count, connection, CaptureQueriesContext, override_settings)
    finally:
        connection.creation.destroy_test_db(test_db, verbosity=0)


def run(count, connection, CaptureQueriesContext, override_settings) -> None:
    from integration.orders_import import import_orders
    from orders.models import Order, OrderItem
    from sandboxes.amazon.server import start_sandbox
    from sellers.encryption import secret
    from tests.factories import AmazonAuthorizationFactory, ProductFactory, SellerFactory

    with tempfile.TemporaryDirectory() as tmp:
        handle = start_sandbox(scenario(count), Path(tmp) / "bench.sqlite3", rate_scale=100_000, publish_on_start=False)
        creds = handle.credentials()
        seller = SellerFactory(cnpj="11222333000181")
        AmazonAuthorizationFactory(seller=seller, selling_partner_id=creds["selling_partner_id"],
                                   refresh_token=secret(creds["refresh_token"]))
        for n in range(50):
            ProductFactory(seller=seller, sku=f"SKU-{n:03d}")
        with override_settings(LWA_TOKEN_URL=creds["lwa_token_url"], SP_API_BASE_URL=creds["sp_api_base_url"],
                               LWA_CLIENT_ID=creds["client_id"], LWA_CLIENT_SECRET=creds["client_secret"],
                               ORDER_IMPORT_FIRST_WINDOW_DAYS=3):
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                result = import_orders(seller)
                elapsed = time.perf_counter() - began
        handle.stop()
    stored = Order.objects.filter(seller=seller).count()
    print(f"orders imported: {result.created} in {result.pages} pages (stored {stored}, items "
          f"{OrderItem.objects.filter(order__seller=seller).count()}, complete={result.complete})")
    print(f"elapsed: {elapsed:.2f} s  ->  {result.created / elapsed:.0f} orders/s")
    print(f"queries: {len(queries)}  ->  {len(queries) / max(result.created, 1):.3f} queries/order")


if __name__ == "__main__":
    main()
