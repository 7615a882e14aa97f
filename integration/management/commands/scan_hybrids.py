from django.core.management.base import BaseCommand

from integration.listings.hybrids import scan_hybrids
from sellers.lookup import find_seller
from sellers.models import Seller


class Command(BaseCommand):
    help = "Mark hybrid offers (merchant- and Amazon-fulfilled at once) from the offers we hold; all sellers if none given."

    def add_arguments(self, parser):
        parser.add_argument("seller", nargs="?", help="seller id, selling partner id or CNPJ")

    def handle(self, *args, **options):
        sellers = [find_seller(options["seller"])] if options["seller"] else Seller.objects.order_by("pk")
        for seller in sellers:
            self.stdout.write(f"{seller.pk}: {scan_hybrids(seller)} hybrid offers")
