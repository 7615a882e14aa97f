import json

from django.core.management.base import BaseCommand

from orders.models import Order
from orders.status import order_status_rows
from sellers.lookup import find_seller


class Command(BaseCommand):
    help = "Each order with its invoice status, access key, error category and message."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--seller", help="Seller id, CNPJ or selling partner id")

    def handle(self, *args, json: bool = False, seller: str | None = None, **options):
        orders = Order.objects.all()
        if seller:
            orders = orders.filter(seller=find_seller(seller))
        rows = order_status_rows(orders)
        if json:
            self.stdout.write(__import__("json").dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=1))
            return
        for r in rows:
            took = f"{r.seconds_to_accepted:.1f}s" if r.seconds_to_accepted is not None else "-"
            self.stdout.write(f"{r.seller[:24]:24} {r.amazon_order_id:20} {r.status:22} {r.access_key or '-':44} {took:>8} {r.error_category} {r.message[:100]}")
