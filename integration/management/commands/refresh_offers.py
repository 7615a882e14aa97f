from django.core.management.base import BaseCommand, CommandError

from integration.listings.sync import refresh_offers
from sellers.models import Seller


def find_seller(key: str) -> Seller:
    """A seller by primary key, selling partner id or CNPJ."""
    query = Seller.objects.filter(amazon_authorization__selling_partner_id=key) | Seller.objects.filter(cnpj=key)
    if key.isdigit():
        query = query | Seller.objects.filter(pk=int(key))
    seller = query.first()
    if seller is None:
        raise CommandError(f"No seller {key!r} (give its id, selling partner id or CNPJ).")
    return seller


class Command(BaseCommand):
    help = "Load every offer of a seller from Amazon's listings report, then mark hybrid offers."

    def add_arguments(self, parser):
        parser.add_argument("seller", help="seller id, selling partner id or CNPJ")

    def handle(self, *args, **options):
        result = refresh_offers(find_seller(options["seller"]))
        self.stdout.write(f"{result.rows} rows, {result.created} new, {result.removed} removed, "
                          f"{result.linked} linked, {result.details} detailed, {result.hybrids} hybrid")
