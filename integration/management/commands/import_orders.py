from django.core.management.base import BaseCommand

from integration.orders_import import import_orders
from sellers.lookup import find_seller


class Command(BaseCommand):
    help = "Sweep one seller's Amazon orders now (SELLER = id, CNPJ or selling partner id)."

    def add_arguments(self, parser):
        parser.add_argument("seller")

    def handle(self, *args, seller, **options):
        result = import_orders(find_seller(seller))
        self.stdout.write(f"pages={result.pages} seen={result.seen} created={result.created} updated={result.updated} "
                          f"stale={result.stale} cancelled={result.cancelled} complete={result.complete} "
                          f"error={result.error or '-'}")
