from django.core.management.base import BaseCommand

from integration.listings.sync import refresh_offers
from sellers.lookup import find_seller


class Command(BaseCommand):
    help = "Load every offer of a seller from Amazon's listings report, then mark hybrid offers."

    def add_arguments(self, parser):
        parser.add_argument("seller", help="seller id, CNPJ or selling partner id")

    def handle(self, *args, **options):
        result = refresh_offers(find_seller(options["seller"]))
        self.stdout.write(f"{result.rows} rows, {result.created} new, {result.removed} removed, "
                          f"{result.linked} linked, {result.details} detailed, {result.hybrids} hybrid")
